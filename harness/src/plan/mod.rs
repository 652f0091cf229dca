//! Fixtures resolved into the concrete calls a scenario makes, and the variables those calls bind.
//! Pure: the runner sends what this module builds and feeds the answers back into [`Bindings`].

mod bindings;
mod forge;
mod setup;
mod sharing;
mod template;

pub use bindings::{Binding, Bindings, Sensitivity};
pub use forge::{bind_forged, forge, ForgeError, Identity};
pub use setup::{AbsorbError, Plan, PlannedUser, SetupCall};
pub use sharing::{shared_pool_key, unique_name, user_scoped, OwnPool, USERS_PER_SHARED_POOL};
pub use template::{render_template, render_text, render_value, RenderError};
