import LogInput
import LogRules
import LogAnalysis
/// Why a device can be missing from the admin center that no log line ever shows:
/// Microsoft documents these, and an admin can only check them in the console. The
/// devices section lists them whenever it reports devices, so that a missing device
/// no log explains still has somewhere to look. Each names its source and tag, as the
/// knowledge entries do (docs/devices.md).
package struct UnloggedDeviceCause: Sendable, Equatable {
    package var id: String
    package var check: String
    package var source: String
    package var tag: String

    package static let all: [UnloggedDeviceCause] = [
        UnloggedDeviceCause(
            id: "client-column",
            check: "Only devices whose Client column is Yes are uploaded: check the device's Client column in the Configuration Manager console.",
            source: "Microsoft: Tenant attach, device sync and device actions (device-sync-actions.md)", tag: "MS-doc"),
        UnloggedDeviceCause(
            id: "upload-collection",
            check: "When the upload is limited to one collection, only that collection and its child collections are uploaded: check that the device is a member (Administration > Cloud Services > Co-management, Properties, Configure upload).",
            source: "Microsoft: Tenant attach, device sync and device actions (device-sync-actions.md: \"When a single collection is selected, its child collections are also uploaded.\")", tag: "MS-doc"),
        UnloggedDeviceCause(
            id: "default-scope-tag",
            check: "A tenant-attached device whose default Intune scope tag was removed is not displayed at all in the admin center: check its scope tags in the Intune admin center.",
            source: "Microsoft: Tenant attach, device sync and device actions (device-sync-actions.md, scope tags)", tag: "MS-doc"),
    ]
}
