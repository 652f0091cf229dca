//! The Cognito service model generated from botocore (`just model`), loaded without I/O.
