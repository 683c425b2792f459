import VigilLogs
import VigilModel

/// The order a batch scan reads its inputs in, so that every batch keeps every partition busy.
///
/// Listings (a folder, an S3 prefix) name one account's logs after another's, so a batch cut from
/// them holds a few accounts only and the partitions holding the others wait at the batch's end.
/// Interleaving the accounts — one input of each in turn — spreads every batch over all of them.
/// Each account's inputs keep their order, and an input without an account in its path (records
/// of any account) stays where it is, with everything before it read first: the records each
/// account's analysis sees, and so the findings, are those of the listed order.
public enum ReadingOrder {
    /// `items` with the inputs of each run between account-less ones interleaved by account
    /// (`path`: where an item's account is read from, `AWSLogs/<account>/…`).
    public static func interleavingAccounts<Item>(_ items: [Item], path: (Item) -> String) -> [Item] {
        var ordered: [Item] = []
        ordered.reserveCapacity(items.count)
        var run: [(account: AccountID, items: [Item])] = []
        var slot: [AccountID: Int] = [:]
        func flush() {
            var next = 0
            var remaining = run.reduce(0) { $0 + $1.items.count }
            while remaining > 0 {
                for index in run.indices where next < run[index].items.count {
                    ordered.append(run[index].items[next])
                    remaining -= 1
                }
                next += 1
            }
            run.removeAll()
            slot.removeAll()
        }
        for item in items {
            guard let account = S3LogPath(path: path(item))?.account else {
                flush()
                ordered.append(item)
                continue
            }
            if let index = slot[account] {
                run[index].items.append(item)
            } else {
                slot[account] = run.count
                run.append((account, [item]))
            }
        }
        flush()
        return ordered
    }
}
