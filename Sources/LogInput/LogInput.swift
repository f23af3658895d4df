// LogInput: Bytes to records.
//
// Owns: inputs from paths, folders and standard input, and which server each came from
// (`Reading/`); decoding and bounded lines; where a record is framed: format detection and the
// CMTrace, simple, copy and plain framers (`Framing/`); the time model: instants, civil times,
// the record's bias and its clock, zone rules, culture-dependent dates and every time
// formatter (`Time/`); CSV tables on the same decoder (`Tables/`).
//
// Hands on: `Record` (borrowed bytes, valid inside the handler only), `InputSummary`,
// `RecordStream`, the time types. Knows nothing of rules.
//
// Stages import only the stages before them (docs/architecture.md):
// LogMatching -> LogInput -> LogRules -> LogAnalysis -> LogFindings -> LogReport -> LogFollow -> CMLogCheckCLI
