//! One module per subcommand.

pub mod agreement;
pub mod instruments;
pub mod reliability;
pub mod report;
pub mod score;
pub mod trend;
