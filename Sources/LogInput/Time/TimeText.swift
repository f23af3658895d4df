import LogMatching
/// `45 s`, `12 min`, `2 h 5 min`, `3 d 4 h`.
package func describe(seconds value: Double) -> String {
    let seconds = Int(value.rounded())
    if abs(seconds) < 60 { return "\(seconds) s" }
    let minutes = seconds / 60
    if abs(minutes) < 60 { return "\(minutes) min" }
    let hours = minutes / 60
    if abs(hours) < 48 { return minutes % 60 == 0 ? "\(hours) h" : "\(hours) h \(abs(minutes % 60)) min" }
    let days = hours / 24
    return hours % 24 == 0 ? "\(days) d" : "\(days) d \(abs(hours % 24)) h"
}
