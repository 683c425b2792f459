extension Finding {
    /// `findings` most severe first, then by type, then by ID: the order scans print and commit
    /// them in. Sorts small keys, then moves the findings into place by swapping (a finding is a
    /// large value: sorting the values themselves, or mapping them into a new array, copied each).
    public static func ordered(_ findings: consuming [Finding]) -> [Finding] {
        var findings = findings
        guard findings.count > 1 else { return findings }
        let keys = findings.indices.map { (severity: findings[$0].severity, type: findings[$0].type, id: findings[$0].id, index: $0) }
        let order = keys.sorted { x, y in
            if x.severity != y.severity { return x.severity > y.severity }
            if x.type != y.type { return x.type < y.type }
            return x.id < y.id
        }.map(\.index)
        // Position i takes the finding at order[i]: follow each cycle of the permutation.
        var placed = [Bool](repeating: false, count: findings.count)
        for start in findings.indices where !placed[start] {
            var current = start
            while true {
                placed[current] = true
                let next = order[current]
                if next == start { break }
                findings.swapAt(current, next)
                current = next
            }
        }
        return findings
    }
}
