//! Reports: terminal and JUnit.
