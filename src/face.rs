//! The page's side of the face worker (`crates/face-worker`): starts it once, when the
//! first camera step needs it, and pumps camera frames to it one at a time.
//!
//! One frame is in flight at a time: the canvas still holds it when the answer comes,
//! so a step can keep exactly the frame the worker judged (the selfie, liveness key
//! frames) without copying every frame.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Array, Uint8ClampedArray};
use leptos::prelude::*;
use qoltanba_face::protocol::{FrameReport, Reply, Request};
use wasm_bindgen::prelude::*;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MessageEvent, Worker,
};

/// trunk's loader for the worker module (`index.html`, `data-loader-shim`).
const WORKER_URL: &str = "/qoltanba-face-worker_loader.js";
/// Frames go to the worker at most this wide (the size `camera::open` asks for).
const FRAME_WIDTH: u32 = 640;
/// Where the browser cannot say when the video has a new frame, the loop assumes one
/// this often (ms): a 30 fps camera.
const FALLBACK_FRAME_MS: i32 = 33;
/// JPEG quality of the frames sent to the server: faces stay sharp at ~40 KB.
const JPEG_QUALITY: f64 = 0.85;
/// Weight of the newest frame in the loop's running averages.
const SMOOTHING: f64 = 0.1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerState {
    Loading,
    Ready,
    Failed,
}

type Handler = Box<dyn FnMut(FrameReport)>;

/// The face worker. Cheap to clone; every clone talks to the same worker.
#[derive(Clone)]
pub struct FaceWorker {
    worker: Worker,
    /// Reference-counted, not owned by the component that happened to start the
    /// worker: it must outlive that step.
    state: ArcRwSignal<WorkerState>,
    handler: Rc<RefCell<Option<Handler>>>,
}

thread_local! {
    static SHARED: RefCell<Option<FaceWorker>> = const { RefCell::new(None) };
    static NEXT_FRAME: Cell<u32> = const { Cell::new(0) };
}

impl FaceWorker {
    /// The app's one worker, started on first use: the models load once per visit.
    pub fn shared() -> FaceWorker {
        SHARED.with(|shared| shared.borrow_mut().get_or_insert_with(Self::start).clone())
    }

    fn start() -> FaceWorker {
        let state = ArcRwSignal::new(WorkerState::Loading);
        let handler: Rc<RefCell<Option<Handler>>> = Rc::default();
        let Ok(worker) = Worker::new(WORKER_URL) else {
            state.set(WorkerState::Failed);
            return FaceWorker {
                worker: JsValue::NULL.unchecked_into(),
                state,
                handler,
            };
        };
        let (slot, state_of_worker) = (handler.clone(), state.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let reply = event
                .data()
                .as_string()
                .and_then(|json| serde_json::from_str::<Reply>(&json).ok());
            match reply {
                Some(Reply::Ready { load_ms }) => {
                    log(&format!("face models loaded in {load_ms:.0} ms"));
                    state_of_worker.set(WorkerState::Ready);
                }
                Some(Reply::Frame(report)) => {
                    // Taken out while it runs: a handler may install the next one.
                    let running = slot.borrow_mut().take();
                    if let Some(mut handler) = running {
                        handler(report);
                        slot.borrow_mut().get_or_insert(handler);
                    }
                }
                Some(Reply::Failed { message }) => {
                    log(&format!("face worker: {message}"));
                    state_of_worker.set(WorkerState::Failed);
                }
                // The app never asks for detection alone (`make bench` does).
                Some(Reply::Detected { .. }) | None => {}
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker lives as long as the page, and so does its handler.
        on_message.forget();
        FaceWorker {
            worker,
            state,
            handler,
        }
    }

    pub fn state(&self) -> WorkerState {
        self.state.get()
    }

    fn post(&self, request: &Request, pixels: Option<&JsValue>) {
        let json = serde_json::to_string(request).expect("requests serialise");
        let message = Array::of1(&JsValue::from_str(&json));
        let transfer = Array::new();
        if let Some(buffer) = pixels {
            message.push(buffer);
            transfer.push(buffer);
        }
        // Only a closed worker refuses, and then the state already says Failed.
        let _ = self.worker.post_message_with_transfer(&message, &transfer);
    }
}

/// What the step wants after a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// A running frame loop; `stop` ends it (also safe to call twice).
#[derive(Clone)]
pub struct Pump {
    stopped: Rc<Cell<bool>>,
}

impl Pump {
    pub fn stop(&self) {
        self.stopped.set(true);
    }
}

/// Sends `mode` to the worker, then frames from `video` drawn on `canvas`, and calls
/// `on_frame` with each answer while the canvas still shows that frame.
///
/// Paced by the camera: the next frame goes as soon as the worker has answered and the
/// video shows a frame it has not been sent, so the loop runs at the camera's rate
/// when the worker keeps up, and at the worker's when it does not.
pub fn pump(
    worker: &FaceWorker,
    mode: Request,
    video: HtmlVideoElement,
    canvas: HtmlCanvasElement,
    on_frame: impl FnMut(&FrameReport, &HtmlCanvasElement) -> Flow + 'static,
) -> Pump {
    let pump = Pump {
        stopped: Rc::new(Cell::new(false)),
    };
    worker.post(&mode, None);
    let frames = Rc::new(Frames {
        worker: worker.clone(),
        video,
        canvas,
        started: now(),
        in_flight: Cell::new(None),
        fresh: Cell::new(false),
        idle: Cell::new(true),
        stopped: pump.stopped.clone(),
    });
    watch(Rc::downgrade(&frames));
    frames.send();
    // The handler owns the loop: the worker drops it when the next pump starts, and
    // the camera's callbacks, holding it weakly, end with it.
    let on_frame = RefCell::new(on_frame);
    let mut rate = Rate::default();
    *worker.handler.borrow_mut() = Some(Box::new(move |report: FrameReport| {
        // A late answer to an earlier loop's frame is not ours to act on.
        if frames.stopped.get() || frames.in_flight.get() != Some(report.frame) {
            return;
        }
        rate.observe(now(), report.elapsed_ms, &frames.canvas);
        if on_frame.borrow_mut()(&report, &frames.canvas) == Flow::Stop {
            frames.stopped.set(true);
            return;
        }
        frames.answered();
    }));
    pump
}

/// Where the loop stands between the camera's frames and the worker's answers. One
/// frame is in flight at most: frames never queue up in the worker.
struct Frames {
    worker: FaceWorker,
    video: HtmlVideoElement,
    canvas: HtmlCanvasElement,
    started: f64,
    in_flight: Cell<Option<u32>>,
    /// The video has shown a frame since the last one was sent.
    fresh: Cell<bool>,
    /// The worker has answered and waits for the camera.
    idle: Cell<bool>,
    stopped: Rc<Cell<bool>>,
}

impl Frames {
    /// The video shows a new frame.
    fn shown(&self) {
        if self.idle.get() {
            self.send();
        } else {
            self.fresh.set(true);
        }
    }

    /// The worker answered the frame in flight.
    fn answered(&self) {
        if self.fresh.get() {
            self.send();
        } else {
            self.idle.set(true);
        }
    }

    fn send(&self) {
        if self.stopped.get() {
            return;
        }
        // Without a frame yet the loop stays idle: the video's next frame sends.
        let Some((pixels, width, height)) = grab(&self.video, &self.canvas) else {
            self.idle.set(true);
            return;
        };
        let frame = NEXT_FRAME.with(|next| next.replace(next.get().wrapping_add(1)));
        self.in_flight.set(Some(frame));
        self.fresh.set(false);
        self.idle.set(false);
        let request = Request::Frame {
            frame,
            width,
            height,
            at_ms: now() - self.started,
        };
        self.worker.post(&request, Some(&pixels));
    }
}

/// Tells `frames` of each new frame of its video until the loop stops or is dropped:
/// `requestVideoFrameCallback` where the browser has it, otherwise (Firefox before
/// 132) a timer at the rate of a 30 fps camera.
fn watch(frames: Weak<Frames>) {
    let Some(live) = frames.upgrade().filter(|f| !f.stopped.get()) else {
        return;
    };
    let video = live.video.clone();
    drop(live);
    let next = Closure::once_into_js(move || {
        if let Some(frames) = frames.upgrade() {
            frames.shown();
        }
        watch(frames);
    });
    let on_video = js_sys::Reflect::get(&video, &"requestVideoFrameCallback".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    // Neither call fails on a live page.
    let _ = match on_video {
        Some(request) => request.call1(&video, &next).map(drop),
        None => web_sys::window()
            .ok_or(JsValue::NULL)
            .and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    next.unchecked_ref(),
                    FALLBACK_FRAME_MS,
                )
            })
            .map(drop),
    };
}

/// The loop's speed, written on the canvas as `data-fps`, `data-worker-ms` and
/// `data-frames`: what `make bench` reads, and a kiosk's support staff can look at.
#[derive(Default)]
struct Rate {
    last_at: Option<f64>,
    interval_ms: f64,
    worker_ms: f64,
    frames: u32,
}

impl Rate {
    fn observe(&mut self, at: f64, worker_ms: f64, canvas: &HtmlCanvasElement) {
        let average = |old: f64, new: f64| {
            if old == 0.0 {
                new
            } else {
                old + SMOOTHING * (new - old)
            }
        };
        if let Some(last) = self.last_at {
            self.interval_ms = average(self.interval_ms, at - last);
        }
        self.last_at = Some(at);
        self.worker_ms = average(self.worker_ms, worker_ms);
        self.frames += 1;
        let fps = if self.interval_ms > 0.0 {
            1000.0 / self.interval_ms
        } else {
            0.0
        };
        for (name, value) in [
            ("data-fps", format!("{fps:.1}")),
            ("data-worker-ms", format!("{:.1}", self.worker_ms)),
            ("data-frames", self.frames.to_string()),
        ] {
            // Attributes on our own canvas cannot be refused.
            let _ = canvas.set_attribute(name, &value);
        }
    }
}

/// Draws the current video frame on the canvas, no wider than `FRAME_WIDTH`, and
/// returns its RGBA pixels as a transferable buffer.
fn grab(video: &HtmlVideoElement, canvas: &HtmlCanvasElement) -> Option<(JsValue, u32, u32)> {
    // HAVE_CURRENT_DATA: a frame can be drawn.
    if video.ready_state() < 2 || video.video_width() == 0 {
        return None;
    }
    // A camera that ignores the requested size is scaled down: the detector works on
    // 128 or 256 pixels anyway, and a 4K frame would cost a copy of 33 MB.
    let width = video.video_width().min(FRAME_WIDTH);
    let height = video.video_height() * width / video.video_width();
    canvas.set_width(width);
    canvas.set_height(height);
    let context: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    context
        .draw_image_with_html_video_element_and_dw_and_dh(
            video,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .ok()?;
    let image = context
        .get_image_data(0.0, 0.0, f64::from(width), f64::from(height))
        .ok()?;
    // The pixels' own buffer, straight from the browser: no copy through wasm memory.
    let data: Uint8ClampedArray = js_sys::Reflect::get(&image, &"data".into())
        .ok()?
        .unchecked_into();
    Some((data.buffer().into(), width, height))
}

/// The frame on the canvas as a JPEG `data:` URL, for the server.
pub fn jpeg(canvas: &HtmlCanvasElement) -> Option<String> {
    canvas
        .to_data_url_with_type_and_encoder_options("image/jpeg", &JPEG_QUALITY.into())
        .ok()
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn log(message: &str) {
    web_sys::console::log_1(&message.into());
}
