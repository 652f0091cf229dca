//! Targets the harness manages itself: install, start, ready, reset, stop.
