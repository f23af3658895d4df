// LogFollow: The live driver: `tail`.
//
// Owns: following files across rotation and truncation (`LogFollower`, `ChangeWatcher`:
// inotify or polling; the OS calls of following live here), the session that feeds the same
// trackers as a review and raises alerts with review's finding ids (`TailSession`), the
// overdue clock, and tail's words and writers.
//
// Hands on: tail items on standard output.
//
// Stages import only the stages before them (docs/architecture.md):
// LogMatching -> LogInput -> LogRules -> LogAnalysis -> LogFindings -> LogReport -> LogFollow -> CMLogCheckCLI
