// LogReport: Findings to output.
//
// Owns: the text report for people, the JSON report and JSON Lines records for machines, per-
// server reports, the buffered writer (`Output`) and terminal safety (`Terminal`).
//
// Hands on: bytes on standard output.
//
// Stages import only the stages before them (docs/architecture.md):
// LogMatching -> LogInput -> LogRules -> LogAnalysis -> LogFindings -> LogReport -> LogFollow -> CMLogCheckCLI
