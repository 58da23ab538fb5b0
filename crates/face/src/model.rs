//! Loading BlazeFace into tract and running it on a frame.

use tract_onnx::pb::attribute_proto::AttributeType;
use tract_onnx::pb::tensor_proto::DataType;
use tract_onnx::pb::{AttributeProto, ModelProto, TensorProto};
use tract_onnx::prelude::*;

use crate::blazeface::{self, Face};
use crate::image;

#[derive(Debug, thiserror::Error)]
pub enum FaceError {
    #[error("the face model cannot be loaded: {0}")]
    Model(String),
    #[error("the face model failed on a frame: {0}")]
    Run(String),
    #[error("a frame of {width}×{height} needs {expected} RGBA bytes, got {got}")]
    FrameSize {
        width: usize,
        height: usize,
        expected: usize,
        got: usize,
    },
}

type Plan = std::sync::Arc<TypedRunnableModel>;

/// An ONNX model from its bytes, patched for tract, for an NHWC input of `side`×`side`.
pub(crate) fn load(mut bytes: &[u8], side: usize) -> Result<Plan, FaceError> {
    let model = |e: TractError| FaceError::Model(e.to_string());
    let mut proto = tract_onnx::onnx()
        .proto_model_for_read(&mut bytes)
        .map_err(model)?;
    add_missing_constant_values(&mut proto);
    let side = side as i64;
    tract_onnx::onnx()
        .model_for_proto_model(&proto)
        .and_then(|m| m.with_input_fact(0, f32::fact([1, side, side, 3]).into()))
        .and_then(|m| m.into_optimized())
        .and_then(|m| m.into_runnable())
        .map_err(model)
}

/// Runs a model on one NHWC input and returns each output's values.
pub(crate) fn run(plan: &Plan, input: &[f32], side: usize) -> Result<Vec<Vec<f32>>, FaceError> {
    let run = |e: TractError| FaceError::Run(e.to_string());
    let tensor = Tensor::from_shape(&[1, side, side, 3], input).map_err(run)?;
    plan.run(tvec!(tensor.into()))
        .map_err(run)?
        .iter()
        .map(|output| {
            output
                .try_as_plain_ram()
                .and_then(|v| v.as_slice::<f32>().map(<[f32]>::to_vec))
                .map_err(run)
        })
        .collect()
}

pub(crate) fn check_frame(rgba: &[u8], width: usize, height: usize) -> Result<(), FaceError> {
    if rgba.len() != width * height * 4 || width == 0 || height == 0 {
        return Err(FaceError::FrameSize {
            width,
            height,
            expected: width * height * 4,
            got: rgba.len(),
        });
    }
    Ok(())
}

pub struct Detector {
    plan: Plan,
    model: blazeface::Model,
    anchors: Vec<blazeface::Point>,
}

impl Detector {
    /// From the bytes of `blazeface_front_128.onnx` (the page fetches them from our own
    /// server; the server and the tests read the file).
    pub fn from_onnx(bytes: &[u8]) -> Result<Self, FaceError> {
        Self::new(bytes, blazeface::FRONT)
    }

    /// From the bytes of `blazeface_back_256.onnx`, which finds faces too small for the
    /// short-range model: on the fixture photo in 640×480 frames, down to about 15 px
    /// wide where the short-range model stops at about 80 px.
    pub fn far_from_onnx(bytes: &[u8]) -> Result<Self, FaceError> {
        Self::new(bytes, blazeface::BACK)
    }

    fn new(bytes: &[u8], model: blazeface::Model) -> Result<Self, FaceError> {
        Ok(Self {
            plan: load(bytes, model.input_side)?,
            model,
            anchors: model.anchors(),
        })
    }

    /// The faces in an RGBA frame, in frame pixels, most confident first.
    pub fn detect(&self, rgba: &[u8], width: usize, height: usize) -> Result<Vec<Face>, FaceError> {
        check_frame(rgba, width, height)?;
        let side = self.model.input_side;
        let (input, fit) = image::to_input(rgba, width, height, side);
        // Outputs: scores of the 16×16 head, of the 8×8 head, then their regressors.
        let outputs = run(&self.plan, &input, side)?;
        let scores = [outputs[0].as_slice(), outputs[1].as_slice()].concat();
        let regressors = [outputs[2].as_slice(), outputs[3].as_slice()].concat();
        let candidates =
            blazeface::decode(&scores, &regressors, &self.anchors, self.model.min_score);
        Ok(blazeface::weighted_nms(candidates)
            .iter()
            .map(|face| face.map(|x, y| fit.to_frame(x, y)))
            .collect())
    }
}

/// Both BlazeFace models. The short-range one runs on every frame; the far one only
/// when it sees no face, so that a face too small for it still counts (and the user
/// is told to come closer) without paying on every frame for the far model, about
/// five times slower (the worker's `Tracker` also rests it in an empty room, see
/// `tracker::EMPTY_ROOM_FAR_MS`). The short-range one stays first because the guidance, the
/// liveness thresholds and the descriptor were measured with its boxes and keypoints.
pub struct Detectors {
    pub near: Detector,
    pub far: Detector,
}

impl Detectors {
    /// The faces in an RGBA frame, in frame pixels, most confident first.
    pub fn detect(&self, rgba: &[u8], width: usize, height: usize) -> Result<Vec<Face>, FaceError> {
        let faces = self.near.detect(rgba, width, height)?;
        if faces.is_empty() {
            self.far.detect(rgba, width, height)
        } else {
            Ok(faces)
        }
    }
}

/// tract 0.23 reads a ConstantOfShape without a `value` attribute as f64 and then cannot
/// load either BlazeFace model; ONNX says the default is a float32 zero, so we write it in.
pub fn add_missing_constant_values(proto: &mut ModelProto) -> usize {
    let Some(graph) = proto.graph.as_mut() else {
        return 0;
    };
    let mut patched = 0;
    for node in graph
        .node
        .iter_mut()
        .filter(|n| n.op_type == "ConstantOfShape")
    {
        if node.attribute.iter().all(|a| a.name != "value") {
            node.attribute.push(AttributeProto {
                name: "value".to_owned(),
                r#type: AttributeType::Tensor as i32,
                t: Some(TensorProto {
                    dims: vec![1],
                    data_type: DataType::Float as i32,
                    float_data: vec![0.0],
                    ..Default::default()
                }),
                ..Default::default()
            });
            patched += 1;
        }
    }
    patched
}
