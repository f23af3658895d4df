// LogFindings: Facts to findings and the verdict.
//
// Owns: where a finding is decided (`Findings.decide`, one file per area), the closed set of
// ids (`FindingID`), the finding texts as data (`finding-texts.json`, checked by its loader),
// the failure decision `tail` shares (`FailureDecision`), and the review pipeline and per-
// server reports (`Review/`).
//
// Hands on: `Report`, `ServerReports`, `Finding`. Writes nothing to a terminal.
//
// Stages import only the stages before them (docs/architecture.md):
// LogMatching -> LogInput -> LogRules -> LogAnalysis -> LogFindings -> LogReport -> LogFollow -> CMLogCheckCLI
