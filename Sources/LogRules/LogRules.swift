// LogRules: Records to events.
//
// Owns: the rule catalog as data (`default-rules.json`, user files layered by id, provenance
// per rule), the knowledge behind `explain` (`knowledge.json`), the catalog compiled once per
// run and shared (`CompiledCatalog`), and where a rule matches (`Classifier`: anchored rules
// by first byte, the rest behind one gate).
//
// Hands on: `Event` (owns its text; few per log), `EventType`, `RuleLimitHit`. Knows nothing
// of cycles or findings.
//
// Stages import only the stages before them (docs/architecture.md):
// LogMatching -> LogInput -> LogRules -> LogAnalysis -> LogFindings -> LogReport -> LogFollow -> CMLogCheckCLI
