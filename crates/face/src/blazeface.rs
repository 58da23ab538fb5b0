//! Decoding BlazeFace's raw outputs: 896 anchors, scores as logits, boxes and six
//! keypoints as offsets from the anchors, then weighted non-maximum suppression. The
//! same for MediaPipe's two BlazeFace models; what differs is in `Model`.

use serde::{Deserialize, Serialize};

/// Overlap above which two detections are the same face (MediaPipe's value).
pub const NMS_IOU: f32 = 0.3;
/// MediaPipe clips logits to this before the sigmoid.
const SCORE_CLIP: f32 = 100.0;
const VALUES_PER_ANCHOR: usize = 16;

/// One output head: a square grid over the input with a few anchors in each cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// Input pixels per grid cell.
    pub stride: usize,
    pub anchors_per_cell: usize,
}

/// What sets one BlazeFace model apart. MediaPipe describes the anchors as four SSD
/// layers by stride; layers of the same stride share a grid and each brings 2 anchors
/// per cell (one aspect ratio and one interpolated scale), hence a head of 2 anchors
/// per cell and one of 6 in both models. Anchors have a fixed size, so boxes and
/// keypoints are plain offsets in input pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    /// The input is `input_side`×`input_side`.
    pub input_side: usize,
    /// In the order of the outputs: the scores of each head, then the regressors of
    /// each head.
    pub heads: [Head; 2],
    /// Candidates below this score are dropped (MediaPipe's value for the model).
    pub min_score: f32,
}

/// `blazeface_front_128.onnx`, short range: strides [8, 16, 16, 16].
pub const FRONT: Model = Model {
    input_side: 128,
    heads: [
        Head {
            stride: 8,
            anchors_per_cell: 2,
        },
        Head {
            stride: 16,
            anchors_per_cell: 6,
        },
    ],
    min_score: 0.75,
};

/// `blazeface_back_256.onnx`, MediaPipe's "back camera" model for farther faces:
/// strides [16, 32, 32, 32] on twice the input side, so the same 16×16 and 8×8 grids
/// and anchors at the same places relative to the input.
pub const BACK: Model = Model {
    input_side: 256,
    heads: [
        Head {
            stride: 16,
            anchors_per_cell: 2,
        },
        Head {
            stride: 32,
            anchors_per_cell: 6,
        },
    ],
    min_score: 0.65,
};

impl Model {
    /// Anchor centres in input pixels, head after head, row by row, in the order of
    /// the model's outputs.
    pub fn anchors(&self) -> Vec<Point> {
        self.heads
            .iter()
            .flat_map(|&head| {
                let cells = self.input_side / head.stride;
                let centre = move |g: usize| (g as f32 + 0.5) * head.stride as f32;
                (0..cells).flat_map(move |gy| {
                    (0..cells).flat_map(move |gx| {
                        std::iter::repeat_n(
                            Point {
                                x: centre(gx),
                                y: centre(gy),
                            },
                            head.anchors_per_cell,
                        )
                    })
                })
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// An axis-aligned box: top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

impl Rect {
    pub fn center(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + self.height / 2.0,
        }
    }

    fn area(&self) -> f32 {
        self.width.max(0.0) * self.height.max(0.0)
    }

    pub fn iou(&self, other: &Rect) -> f32 {
        let x0 = self.x.max(other.x);
        let y0 = self.y.max(other.y);
        let x1 = (self.x + self.width).min(other.x + other.width);
        let y1 = (self.y + self.height).min(other.y + other.height);
        let overlap = (x1 - x0).max(0.0) * (y1 - y0).max(0.0);
        let union = self.area() + other.area() - overlap;
        if union > 0.0 {
            overlap / union
        } else {
            0.0
        }
    }
}

/// BlazeFace's keypoints. "Right" and "left" are the person's own, so in an unmirrored
/// camera image the right eye is on the image's left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keypoint {
    RightEye = 0,
    LeftEye = 1,
    NoseTip = 2,
    Mouth = 3,
    RightEar = 4,
    LeftEar = 5,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Face {
    /// Probability that this is a face, 0..1.
    pub score: f32,
    pub bounds: Rect,
    pub keypoints: [Point; 6],
}

impl Face {
    pub fn keypoint(&self, k: Keypoint) -> Point {
        self.keypoints[k as usize]
    }

    /// The same face in other coordinates (e.g. from the input square to frame pixels).
    pub fn map(&self, f: impl Fn(f32, f32) -> (f32, f32)) -> Face {
        let (x0, y0) = f(self.bounds.x, self.bounds.y);
        let (x1, y1) = f(
            self.bounds.x + self.bounds.width,
            self.bounds.y + self.bounds.height,
        );
        Face {
            score: self.score,
            bounds: Rect {
                x: x0,
                y: y0,
                width: x1 - x0,
                height: y1 - y0,
            },
            keypoints: self.keypoints.map(|p| {
                let (x, y) = f(p.x, p.y);
                Point { x, y }
            }),
        }
    }
}

fn sigmoid(logit: f32) -> f32 {
    1.0 / (1.0 + (-logit.clamp(-SCORE_CLIP, SCORE_CLIP)).exp())
}

/// Candidates from `min_score` up, in input pixels. `scores` and `regressors` are the
/// concatenated outputs of both heads (896 and 896×16 values).
pub fn decode(scores: &[f32], regressors: &[f32], anchors: &[Point], min_score: f32) -> Vec<Face> {
    assert_eq!(scores.len(), anchors.len());
    assert_eq!(regressors.len(), anchors.len() * VALUES_PER_ANCHOR);
    anchors
        .iter()
        .zip(scores)
        .zip(regressors.chunks_exact(VALUES_PER_ANCHOR))
        .filter_map(|((anchor, &logit), r)| {
            let score = sigmoid(logit);
            (score >= min_score).then(|| {
                let (cx, cy) = (anchor.x + r[0], anchor.y + r[1]);
                Face {
                    score,
                    bounds: Rect {
                        x: cx - r[2] / 2.0,
                        y: cy - r[3] / 2.0,
                        width: r[2],
                        height: r[3],
                    },
                    keypoints: std::array::from_fn(|k| Point {
                        x: anchor.x + r[4 + 2 * k],
                        y: anchor.y + r[5 + 2 * k],
                    }),
                }
            })
        })
        .collect()
}

/// MediaPipe's weighted NMS: overlapping candidates are averaged, weighted by score,
/// which steadies the box from frame to frame better than keeping the best one.
pub fn weighted_nms(mut candidates: Vec<Face>) -> Vec<Face> {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut faces = Vec::new();
    while let Some(best) = candidates.first().cloned() {
        let (same, rest): (Vec<Face>, Vec<Face>) = candidates
            .into_iter()
            .partition(|c| c.bounds.iou(&best.bounds) > NMS_IOU);
        candidates = rest;
        let total: f32 = same.iter().map(|f| f.score).sum();
        let mean = |value: &dyn Fn(&Face) -> f32| {
            same.iter().map(|f| value(f) * f.score).sum::<f32>() / total
        };
        faces.push(Face {
            score: best.score,
            bounds: Rect {
                x: mean(&|f| f.bounds.x),
                y: mean(&|f| f.bounds.y),
                width: mean(&|f| f.bounds.width),
                height: mean(&|f| f.bounds.height),
            },
            keypoints: std::array::from_fn(|k| Point {
                x: mean(&|f| f.keypoints[k].x),
                y: mean(&|f| f.keypoints[k].y),
            }),
        });
    }
    faces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_the_two_heads() {
        let a = FRONT.anchors();
        assert_eq!(a.len(), 896);
        assert_eq!(a[0], Point { x: 4.0, y: 4.0 });
        assert_eq!(a[1], a[0]);
        assert_eq!(a[2], Point { x: 12.0, y: 4.0 });
        assert_eq!(a[511], Point { x: 124.0, y: 124.0 });
        assert_eq!(a[512], Point { x: 8.0, y: 8.0 });
        assert_eq!(a[895], Point { x: 120.0, y: 120.0 });
    }

    #[test]
    fn the_back_model_has_the_same_grids_on_twice_the_side() {
        let a = BACK.anchors();
        // Its outputs are [1, 512, 1] and [1, 384, 1] (scores), as the short-range model's.
        assert_eq!(a.len(), 896);
        assert_eq!(a[0], Point { x: 8.0, y: 8.0 });
        assert_eq!(a[1], a[0]);
        assert_eq!(a[2], Point { x: 24.0, y: 8.0 });
        assert_eq!(a[32], Point { x: 8.0, y: 24.0 });
        assert_eq!(a[511], Point { x: 248.0, y: 248.0 });
        assert_eq!(a[512], Point { x: 16.0, y: 16.0 });
        assert_eq!(a[517], a[512]);
        assert_eq!(a[518], Point { x: 48.0, y: 16.0 });
        assert_eq!(a[895], Point { x: 240.0, y: 240.0 });
        let scale = |p: Point| Point {
            x: p.x / 2.0,
            y: p.y / 2.0,
        };
        assert_eq!(
            a.into_iter().map(scale).collect::<Vec<_>>(),
            FRONT.anchors()
        );
    }

    fn candidate(score: f32, x: f32) -> Face {
        Face {
            score,
            bounds: Rect {
                x,
                y: 10.0,
                width: 40.0,
                height: 40.0,
            },
            keypoints: [Point { x, y: 10.0 }; 6],
        }
    }

    #[test]
    fn decoding_keeps_confident_anchors_and_places_them() {
        let a = FRONT.anchors();
        let mut scores = vec![-10.0; 896];
        let mut regs = vec![0.0; 896 * 16];
        scores[600] = 5.0;
        regs[600 * 16..600 * 16 + 6].copy_from_slice(&[2.0, -1.0, 30.0, 20.0, 5.0, 6.0]);
        let faces = decode(&scores, &regs, &a, FRONT.min_score);
        assert_eq!(faces.len(), 1);
        let f = &faces[0];
        assert!((f.score - sigmoid(5.0)).abs() < 1e-6);
        assert_eq!(
            f.bounds.center(),
            Point {
                x: a[600].x + 2.0,
                y: a[600].y - 1.0
            }
        );
        assert_eq!((f.bounds.width, f.bounds.height), (30.0, 20.0));
        assert_eq!(
            f.keypoint(Keypoint::RightEye),
            Point {
                x: a[600].x + 5.0,
                y: a[600].y + 6.0
            }
        );
    }

    #[test]
    fn overlapping_candidates_merge_weighted_and_separate_faces_stay() {
        let faces = weighted_nms(vec![
            candidate(0.9, 10.0),
            candidate(0.1, 14.0),
            candidate(0.8, 90.0),
        ]);
        assert_eq!(faces.len(), 2);
        assert_eq!(faces[0].score, 0.9);
        assert!(
            (faces[0].bounds.x - 10.4).abs() < 1e-4,
            "{}",
            faces[0].bounds.x
        );
        assert_eq!(faces[1].bounds.x, 90.0);
    }

    #[test]
    fn iou_of_disjoint_and_identical_boxes() {
        let a = candidate(1.0, 0.0).bounds;
        assert_eq!(a.iou(&a), 1.0);
        assert_eq!(a.iou(&candidate(1.0, 100.0).bounds), 0.0);
    }
}
