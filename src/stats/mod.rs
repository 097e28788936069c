//! Statistics: the normal and Student's t distributions, sample summaries
//! and confidence intervals. Knows nothing about plotting or files.

pub mod normal;
pub mod student_t;
pub mod summary;
