// LogMatching: PCRE2 behind a small interface, the matching engine of every other stage.
//
// Owns: compiling a pattern once with the JIT and match/depth limits (`Pattern`), per-thread
// match data that matches bytes without building a String (`Matcher`), and PCRE2's error text.
//
// Hands on: `Pattern`, `Matcher`. Knows nothing of logs.
//
// Stages import only the stages before them (docs/architecture.md):
// LogMatching -> LogInput -> LogRules -> LogAnalysis -> LogFindings -> LogReport -> LogFollow -> CMLogCheckCLI
