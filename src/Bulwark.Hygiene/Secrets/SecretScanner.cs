// SPDX-License-Identifier: Apache-2.0
using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Bulwark.Hygiene.Secrets;

/// Finds secrets in one text. Independent of where the text came from (a file in the working tree, a blob in git
/// history), thread-safe, and linear in the text: one pass for all keywords, then each rule's NonBacktracking
/// expression only in the windows around its keywords.
public sealed class SecretScanner
{
    /// Written on a line (in any comment syntax) to say its findings are known and accepted.
    public const string AllowMarker = "bulwark:allow";

    /// Candidates looked at in one text before the rest are given up on (bounds time and memory on hostile input).
    public const int MaxCandidates = 2000;

    private readonly SecretRule[] _rules;
    private readonly SecretAllowlist _allow;
    private readonly KeywordSearch _search;

    public SecretScanner(IEnumerable<SecretRule> rules, SecretAllowlist? allow = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _allow = allow ?? SecretAllowlist.Empty;
        _rules = rules.Where(r => !_allow.DisabledRules.Contains(r.Id)).ToArray();
        _search = new KeywordSearch(_rules);
    }

    public IReadOnlyList<SecretRule> Rules => _rules;

    /// Every secret in <paramref name="text"/>, sorted by position. A rule that exceeds its time limit throws
    /// <see cref="RegexMatchTimeoutException"/>; callers record the file as not fully scanned.
    public IReadOnlyList<SecretFinding> Scan(string path, string text) => Scan(path, text, out _);

    /// As <see cref="Scan(string, string)"/>; <paramref name="truncated"/> says the text held more than
    /// <see cref="MaxCandidates"/> candidates and the rest were not looked at (a generated file, an attack on the scanner).
    public IReadOnlyList<SecretFinding> Scan(string path, string text, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var n = Encoding.UTF8.GetBytes(text, rented);
            return ScanCore(path, rented.AsSpan(0, n), text, out truncated);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// Every secret in a UTF-8 <paramref name="content"/> (a file's bytes; a byte order mark is skipped, invalid
    /// sequences read as U+FFFD), as <see cref="Scan(string, string, out bool)"/> finds them in its decoded text. The
    /// text is decoded only when a keyword is found, so most files cost one pass over their bytes.
    public IReadOnlyList<SecretFinding> ScanUtf8(string path, ReadOnlySpan<byte> content, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (content is [0xEF, 0xBB, 0xBF, ..]) content = content[3..];
        return ScanCore(path, content, null, out truncated);
    }

    private IReadOnlyList<SecretFinding> ScanCore(string path, ReadOnlySpan<byte> bytes, string? text, out bool truncated)
    {
        truncated = false;
        if (_search.Find(bytes) is not { } hits) return [];
        text ??= Encoding.UTF8.GetString(bytes);
        var windows = Windows(hits, bytes, text);
        var candidates = new List<(int Rule, SecretSpan Span)>();
        for (var r = 0; r < _rules.Length; r++)
        {
            if (windows[r] is not { } list) continue;
            var rule = _rules[r];
            foreach (var (start, end) in list)
            {
                for (var m = rule.Pattern.Match(text, start, end - start); m.Success; m = m.NextMatch())
                {
                    if (rule.SpanOf(text, m) is { } span && Accepts(rule, text.Substring(span.Start, span.Length)))
                        candidates.Add((r, span));
                    if (candidates.Count >= MaxCandidates)
                    {
                        truncated = true;
                        goto collected;
                    }
                }
            }
        }
    collected:
        if (candidates.Count == 0) return [];

        // the most specific rule names a secret (rules are listed specific first); overlapping weaker ones are dropped
        candidates.Sort((a, b) => a.Rule != b.Rule ? a.Rule.CompareTo(b.Rule) : a.Span.Start.CompareTo(b.Span.Start));
        var kept = new List<(int Rule, SecretSpan Span)>();
        var taken = new List<(int Start, int End)>(); // sorted by start, non-overlapping
        foreach (var c in candidates)
        {
            var (s, e) = (c.Span.Start, c.Span.Start + c.Span.Length);
            var i = LowerBound(taken, s);
            if (i > 0 && taken[i - 1].End > s) continue;
            if (i < taken.Count && taken[i].Start < e) continue;
            taken.Insert(i, (s, e));
            kept.Add(c);
        }

        var lines = new LineIndex(text);
        var findings = new List<SecretFinding>(kept.Count);
        var allowedLines = new Dictionary<int, bool>(); // each line searched once, however many findings it holds
        foreach (var (r, span) in kept)
        {
            var (line, column, lineStart, lineEnd) = lines.Locate(span.At);
            if (!allowedLines.TryGetValue(line, out var allowed))
                allowedLines[line] = allowed = text.AsSpan(lineStart, lineEnd - lineStart).Contains(AllowMarker, StringComparison.OrdinalIgnoreCase);
            if (allowed) continue;
            var rule = _rules[r];
            findings.Add(new SecretFinding(rule.Id, rule.Description, path, line, column, text.Substring(span.Start, span.Length)));
        }
        findings.Sort(SecretFinding.Compare);
        return findings;
    }

    /// Per rule, the merged windows [start, end) of the text (in UTF-16 code units) around its keywords' hits; null
    /// for a rule with no hit. Hits are byte offsets of ASCII keywords, so a hit's offset in the text is the number of
    /// characters its bytes before it decode to (the same number when every byte is one character).
    private List<(int Start, int End)>?[] Windows(List<KeywordSearch.Hit> hits, ReadOnlySpan<byte> bytes, string text)
    {
        var windows = new List<(int Start, int End)>?[_rules.Length];
        var sameOffsets = text.Length == bytes.Length;
        int lastByte = 0, lastChar = 0;
        foreach (var hit in hits)
        {
            int at;
            if (sameOffsets) at = hit.Offset;
            else
            {
                lastChar += Encoding.UTF8.GetCharCount(bytes[lastByte..hit.Offset]);
                lastByte = hit.Offset;
                at = lastChar;
            }
            var rule = _rules[hit.Rule];
            var start = Math.Max(0, at - rule.Before);
            var end = (int)Math.Min(text.Length, (long)at + hit.Length + rule.After);
            var list = windows[hit.Rule] ??= [];
            // hits arrive in order, so a window only ever merges with the last one
            if (list.Count > 0 && list[^1].End >= start) list[^1] = (list[^1].Start, Math.Max(list[^1].End, end));
            else list.Add((start, end));
        }
        return windows;
    }

    private bool Accepts(SecretRule rule, string secret)
    {
        if (rule.Locate is null && SecretChecks.IsPlaceholder(secret)) return false;
        if (rule.MinEntropy > 0 && SecretChecks.Entropy(secret) < rule.MinEntropy) return false;
        if (rule.Validate is { } validate && !validate(secret)) return false;
        return !_allow.AllowsSecret(secret);
    }

    private static int LowerBound(List<(int Start, int End)> list, int start)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid].Start < start) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// Line starts, found once per text that has findings.
    private sealed class LineIndex
    {
        private readonly string _text;
        private readonly List<int> _starts = [0];

        public LineIndex(string text)
        {
            _text = text;
            var span = text.AsSpan();
            var pos = 0;
            while (true)
            {
                var nl = span[pos..].IndexOf('\n');
                if (nl < 0) break;
                pos += nl + 1;
                _starts.Add(pos);
            }
        }

        /// 1-based line and column of <paramref name="offset"/>, and the bounds of its line (without the newline).
        public (int Line, int Column, int Start, int End) Locate(int offset)
        {
            var i = _starts.BinarySearch(offset);
            if (i < 0) i = ~i - 1;
            var start = _starts[i];
            var end = i + 1 < _starts.Count ? _starts[i + 1] - 1 : _text.Length;
            return (i + 1, offset - start + 1, start, end);
        }
    }
}
