// SPDX-License-Identifier: Apache-2.0
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Bulwark.Hygiene.Secrets;

/// Finds every rule's keywords (ASCII, case-insensitive) in UTF-8 bytes in one pass, and keeps the hits that can
/// begin a match of their rule.
/// <remarks>
/// One pass over the bytes: at each position the case-folded first four bytes (three, two) are hashed into 64 Kbit
/// tables of how keywords of 4 bytes or more (3, 2) start, 8 KiB each so they stay in L1; only a set bit (well under
/// 1% of positions in source code) compares the keywords that start with the position's two bytes. A hit is
/// then checked per rule: the case-sensitive literal the rule's pattern starts with (a keyword hit "msg." is not
/// "SG."), the word boundary before it, and the rule's own <see cref="SecretRule.Gate"/>. Every check is a necessary
/// condition of a match through the hit, so pruning never changes what is found, only how much is searched.
/// </remarks>
internal sealed class KeywordSearch
{
    /// A keyword of <see cref="Rule"/> at byte <see cref="Offset"/>, <see cref="Length"/> bytes long.
    internal readonly record struct Hit(int Offset, int Length, int Rule);

    private sealed record Target(int Rule, byte[]? Literal, bool Boundary, KeywordGate? Gate);

    private static readonly byte[] Fold = BuildFold();

    private readonly byte[][] _keywords;       // case-folded
    private readonly Target[][] _targets;      // per keyword, the rules it opens windows for
    private readonly ulong[] _pairBits = new ulong[1024];   // the first two bytes of every keyword
    private readonly ulong[] _quadBits = new ulong[1024];   // hashed first four bytes of keywords of 4 bytes or more
    private readonly ulong[] _tripleBits = new ulong[1024]; // hashed three bytes of 3-byte keywords
    private readonly ulong[] _shortPairBits = new ulong[1024]; // the two bytes of 2-byte keywords
    private readonly int[]?[] _keywordsByPair = new int[]?[65536];

    public KeywordSearch(IReadOnlyList<SecretRule> rules)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var keywords = new List<byte[]>();
        var targets = new List<List<Target>>();
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            foreach (var keyword in rule.Keywords)
            {
                if (keyword.Length < 2 || !Ascii.IsValid(keyword))
                    throw new ArgumentException($"Rule {rule.Id}: keyword '{keyword}' must be at least 2 ASCII characters.", nameof(rules));
                if (!index.TryGetValue(keyword, out var k))
                {
                    index[keyword] = k = keywords.Count;
                    keywords.Add([.. Encoding.ASCII.GetBytes(keyword).Select(b => Fold[b])]);
                    targets.Add([]);
                }
                if (targets[k].Any(t => t.Rule == r)) continue;
                // the literal is checked only when this keyword is where it starts
                var literal = rule.LiteralPrefix is { Length: > 0 } lit && lit.StartsWith(keyword, StringComparison.OrdinalIgnoreCase)
                    ? Encoding.ASCII.GetBytes(lit) : null;
                var boundary = literal is not null && rule.BoundaryBefore && IsWordByte(literal[0]);
                targets[k].Add(new Target(r, literal, boundary, rule.Gate));
            }
        }
        _keywords = [.. keywords];
        _targets = [.. targets.Select(t => t.ToArray())];
        for (var k = 0; k < _keywords.Length; k++)
        {
            var pair = PairKey(_keywords[k][0], _keywords[k][1]);
            _pairBits[pair >> 6] |= 1UL << pair;
            var folded = _keywords[k].Select(b => (uint)(b | 0x20)).ToArray();
            switch (folded.Length)
            {
                case 2: _shortPairBits[pair >> 6] |= 1UL << pair; break;
                case 3: Set(_tripleBits, Hash(folded[0] | (folded[1] << 8) | (folded[2] << 16))); break;
                default: Set(_quadBits, Hash(folded[0] | (folded[1] << 8) | (folded[2] << 16) | (folded[3] << 24))); break;
            }
            _keywordsByPair[pair] = [.. _keywordsByPair[pair] ?? [], k];
        }
    }

    /// The hits that survive their rules' checks, in order of offset (null when there is none).
    public List<Hit>? Find(ReadOnlySpan<byte> text)
    {
        List<Hit>? hits = null;
        if (text.Length < 2) return null;
        ref var start = ref MemoryMarshal.GetReference(text);
        ref var bits = ref MemoryMarshal.GetArrayDataReference(_pairBits);
        var last = (nint)text.Length - 1;
        ref var quads = ref MemoryMarshal.GetArrayDataReference(_quadBits);
        ref var triples = ref MemoryMarshal.GetArrayDataReference(_tripleBits);
        ref var shortPairs = ref MemoryMarshal.GetArrayDataReference(_shortPairBits);
        // the four bytes at each position, read as one little-endian word (first byte low) with 0x20 set in each: ASCII letters fold to lower case
        // (other bytes may collide, which only costs a comparison). The position goes on only when its first four
        // bytes start a keyword of 4 bytes or more, its first three are a 3-byte keyword or its first two a 2-byte
        // one: three table lookups and one branch that is almost never taken, so the loop runs without mispredictions.
        var quadEnd = (nint)text.Length - 3;
        nint i = 0;
        for (; i < quadEnd; i++)
        {
            var quad = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, i)) | 0x20202020u;
            var hq = Hash(quad);
            var ht = Hash(quad & 0xFFFFFFu);
            var pair = quad & 0xFFFFu;
            var any = (Unsafe.Add(ref quads, (nint)(hq >> 6)) >> (int)hq)
                      | (Unsafe.Add(ref triples, (nint)(ht >> 6)) >> (int)ht)
                      | (Unsafe.Add(ref shortPairs, (nint)(pair >> 6)) >> (int)pair);
            if ((any & 1) != 0) Check(text, (int)i, _keywordsByPair[pair], ref hits);
        }
        // the last three positions: by their first two bytes
        for (; i < last; i++)
        {
            var pair = (uint)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref start, i)) | 0x2020u;
            if ((Unsafe.Add(ref bits, (nint)(pair >> 6)) & (1UL << (int)pair)) != 0) Check(text, (int)i, _keywordsByPair[pair], ref hits);
        }
        return hits;
    }

    private void Check(ReadOnlySpan<byte> text, int i, int[]? keywords, ref List<Hit>? hits)
    {
        if (keywords is null) return;
        foreach (var k in keywords)
        {
            var keyword = _keywords[k];
            if (i + keyword.Length > text.Length || !EqualsFolded(text.Slice(i, keyword.Length), keyword)) continue;
            foreach (var t in _targets[k])
            {
                if (t.Literal is { } literal && !text[i..].StartsWith(literal)) continue;
                if (t.Boundary && i > 0 && IsWordByte(text[i - 1])) continue;
                if (t.Gate is { } gate && !gate(text, i, i + keyword.Length)) continue;
                (hits ??= []).Add(new Hit(i, keyword.Length, t.Rule));
            }
        }
    }

    // 64 Kbit tables of hashed keyword starts
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(uint bytes) => (bytes * 0x9E3779B1u) >> 16;

    private static void Set(ulong[] table, uint hash) => table[hash >> 6] |= 1UL << (int)hash;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSet(ref ulong table, uint hash) => (Unsafe.Add(ref table, (nint)(hash >> 6)) & (1UL << (int)hash)) != 0;

    // the table key of two bytes as Find computes it
    private static int PairKey(byte first, byte second) => (first | 0x20) | ((second | 0x20) << 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EqualsFolded(ReadOnlySpan<byte> text, byte[] folded)
    {
        for (var j = 0; j < folded.Length; j++)
            if (Fold[text[j]] != folded[j]) return false;
        return true;
    }

    /// An ASCII word character ([A-Za-z0-9_], what \b looks at); bytes of non-ASCII characters are not (a gate
    /// that needs a non-word character lets them through, as the character may be anything).
    internal static bool IsWordByte(byte b) => b < 0x80 && (char.IsAsciiLetterOrDigit((char)b) || b == '_');

    private static byte[] BuildFold()
    {
        var fold = new byte[256];
        for (var b = 0; b < 256; b++) fold[b] = b is >= 'A' and <= 'Z' ? (byte)(b + 32) : (byte)b;
        return fold;
    }
}
