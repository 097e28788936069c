//! Statistics: the normal and Student's t distributions, sample summaries,
//! confidence intervals, time budgets and queue statistics. Knows nothing
//! about plotting or files.

pub mod budget;
pub mod normal;
pub mod paired;
pub mod sensitivity;
pub mod student_t;
pub mod summary;
