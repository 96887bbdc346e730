//! Rust `tracing` events forwarded to Java logging (log4j2, which CloudStack uses).
//!
//! [`JavaLogLayer`] hands each event that passes the filter to the static Java method
//! `io.ecscloudstack.ecs.NativeLog.log(int level, String target, String message)`, whose
//! class and method id were cached in `JNI_OnLoad`. The logger is named after the Rust target, so
//! `ecs_driver::store` events land in the management server log under
//! `io.ecscloudstack.rust.ecs_driver.store`. Fields whose names mark them as secrets are
//! written as `** redacted **`, whatever the emitting crate passed.

use std::fmt::{self, Write as _};

use jni::JavaVM;
use jni::objects::JValue;
use jni::signature::{Primitive, ReturnType};
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};

use crate::classes;

/// What the filter lets through when the Java side passes no directives of its own.
pub(crate) const DEFAULT_FILTER: &str =
    "warn,ecs_driver=info,ecs_mgmt=info,ecs_s3=info,ecs_jni=info";

/// Field names whose values are never logged.
const SECRET_FIELD_MARKERS: &[&str] =
    &["secret", "password", "token", "authorization", "credential"];

/// Installs the forwarding subscriber as the process-wide default.
///
/// `directives` use `EnvFilter` syntax (`"info,ecs_mgmt=debug"`); `None` or invalid directives
/// fall back to [`DEFAULT_FILTER`]. Returns `false` when a global subscriber was already set
/// (the first installation wins).
pub(crate) fn install(directives: Option<&str>) -> bool {
    let filter = directives
        .and_then(|directives| EnvFilter::try_new(directives).ok())
        .unwrap_or_else(|| EnvFilter::new(DEFAULT_FILTER));
    let subscriber = tracing_subscriber::registry()
        .with(filter)
        .with(JavaLogLayer);
    tracing::subscriber::set_global_default(subscriber).is_ok()
}

/// A `tracing` layer that forwards events to `NativeLog.log`.
#[derive(Debug, Default)]
pub(crate) struct JavaLogLayer;

impl<S: Subscriber> Layer<S> for JavaLogLayer {
    fn on_event(&self, event: &Event<'_>, _context: Context<'_, S>) {
        let metadata = event.metadata();
        let mut message = MessageVisitor::default();
        event.record(&mut message);
        forward(
            level_code(*metadata.level()),
            metadata.target(),
            &message.finish(),
        );
    }
}

/// The level numbers `NativeLog` understands: 1 = error … 5 = trace.
pub(crate) fn level_code(level: Level) -> i32 {
    match level {
        Level::ERROR => 1,
        Level::WARN => 2,
        Level::INFO => 3,
        Level::DEBUG => 4,
        Level::TRACE => 5,
    }
}

/// Calls `NativeLog.log` on the current thread, attaching it when it is not a JVM thread.
///
/// Logging never fails the caller: when no JVM is present (Rust tests) or the Java call throws,
/// the event is dropped.
fn forward(level: i32, target: &str, message: &str) {
    let (Ok(vm), Ok(classes)) = (JavaVM::singleton(), classes::get()) else {
        return;
    };
    let _ignored = vm.attach_current_thread(|env| -> jni::errors::Result<()> {
        let target = env.new_string(target)?;
        let message = env.new_string(message)?;
        let args = [
            JValue::Int(level).as_jni(),
            JValue::Object(&target).as_jni(),
            JValue::Object(&message).as_jni(),
        ];
        #[allow(unsafe_code)]
        // SAFETY: `native_log_log` was looked up on `native_log` with exactly this signature,
        // `(ILjava/lang/String;Ljava/lang/String;)V`, and `args` matches it in number and type.
        unsafe {
            env.call_static_method_unchecked(
                &classes.native_log,
                classes.native_log_log,
                ReturnType::Primitive(Primitive::Void),
                &args,
            )?;
        }
        Ok(())
    });
}

/// Collects an event's `message` and its other fields as ` name=value` pairs.
#[derive(Debug, Default)]
struct MessageVisitor {
    message: String,
    fields: String,
}

impl MessageVisitor {
    fn finish(self) -> String {
        if self.fields.is_empty() {
            self.message
        } else if self.message.is_empty() {
            self.fields.trim_start().to_owned()
        } else {
            self.message + &self.fields
        }
    }
}

impl Visit for MessageVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let name = field.name();
        if name == "message" {
            let _ = write!(self.message, "{value:?}");
        } else if is_secret_field(name) {
            let _ = write!(self.fields, " {name}=** redacted **");
        } else {
            let _ = write!(self.fields, " {name}={value:?}");
        }
    }
}

fn is_secret_field(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    SECRET_FIELD_MARKERS
        .iter()
        .any(|marker| name.contains(marker))
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tracing_subscriber::layer::SubscriberExt as _;

    use super::*;

    /// Runs `emit` under a subscriber that records what the visitor makes of each event.
    fn messages(emit: impl FnOnce()) -> Vec<String> {
        #[derive(Clone, Default)]
        struct Recorder(Arc<Mutex<Vec<String>>>);
        impl<S: Subscriber> Layer<S> for Recorder {
            fn on_event(&self, event: &Event<'_>, _context: Context<'_, S>) {
                let mut visitor = MessageVisitor::default();
                event.record(&mut visitor);
                self.0.lock().expect("recorder lock").push(visitor.finish());
            }
        }
        let recorder = Recorder::default();
        let subscriber = tracing_subscriber::registry().with(recorder.clone());
        tracing::subscriber::with_default(subscriber, emit);
        recorder.0.lock().expect("recorder lock").clone()
    }

    #[test]
    fn message_comes_first_then_fields() {
        let recorded = messages(|| tracing::info!(bucket = "b1", quota_gib = 5, "bucket created"));
        assert_eq!(recorded, ["bucket created bucket=b1 quota_gib=5"]);
    }

    #[test]
    fn secret_fields_are_redacted_whatever_their_value() {
        let recorded = messages(|| {
            tracing::warn!(secret_key = "hunter2", password = %"pa55", user = "u1", "rotated");
        });
        assert_eq!(recorded.len(), 1);
        assert!(
            !recorded[0].contains("hunter2") && !recorded[0].contains("pa55"),
            "{recorded:?}"
        );
        assert!(recorded[0].contains("secret_key=** redacted **"));
        assert!(recorded[0].contains("user=u1"));
    }

    #[test]
    fn levels_map_to_the_java_numbers() {
        let codes: Vec<i32> = [
            Level::ERROR,
            Level::WARN,
            Level::INFO,
            Level::DEBUG,
            Level::TRACE,
        ]
        .into_iter()
        .map(level_code)
        .collect();
        assert_eq!(codes, [1, 2, 3, 4, 5]);
    }

    #[test]
    fn forwarding_without_a_jvm_is_a_quiet_no_op() {
        forward(3, "ecs_jni::tests", "nobody listens");
    }
}
