// LogAnalysis: Events to typed facts; the words people read are written in LogFindings.
//
// Owns: where a cycle is judged (`Sync/UploadCycleTracker`, one tracker for `review` and
// `tail`), what failed (`Failures/FailureTracker`, one failure decision for both), device
// actions (`Actions/`), devices and their inventory files (`Devices/`).
//
// Hands on: `AnalysisFacts`, `UploadCycleTracker`, `FailureTracker`. Decides no finding.
//
// Stages import only the stages before them (docs/architecture.md):
// LogMatching -> LogInput -> LogRules -> LogAnalysis -> LogFindings -> LogReport -> LogFollow -> CMLogCheckCLI
