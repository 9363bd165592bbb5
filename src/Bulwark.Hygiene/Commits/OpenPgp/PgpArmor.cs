// SPDX-License-Identifier: Apache-2.0
using System.Text;

namespace Bulwark.Hygiene.Commits.OpenPgp;

/// ASCII armor (RFC 4880 §6, RFC 9580 §6.2): `-----BEGIN PGP …-----`, optional `Key: value` headers, a blank line,
/// base64, an optional `=` CRC-24 line, `-----END PGP …-----`. Several blocks may follow each other in one text.
internal static class PgpArmor
{
    /// The decoded blocks of a text, each with its label ("SIGNATURE", "PUBLIC KEY BLOCK", …).
    public static List<(string Label, byte[] Data)> Decode(string text)
    {
        var blocks = new List<(string, byte[])>();
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith("-----BEGIN PGP ", StringComparison.Ordinal) || !line.EndsWith("-----", StringComparison.Ordinal)) continue;
            var label = line["-----BEGIN PGP ".Length..^5];
            var end = $"-----END PGP {label}-----";
            i++;
            // headers: "Key: value" lines up to the first blank line (there may be none at all)
            while (i < lines.Length && lines[i].Trim().Length > 0 && lines[i].Contains(": ", StringComparison.Ordinal)
                   && !lines[i].StartsWith("-----", StringComparison.Ordinal))
                i++;
            var body = new StringBuilder();
            string? crc = null;
            var closed = false;
            for (; i < lines.Length; i++)
            {
                var l = lines[i].Trim();
                if (l == end)
                {
                    closed = true;
                    break;
                }
                if (l.Length == 0) continue;
                if (l.StartsWith('=') && l.Length == 5) crc = l[1..];
                else body.Append(l);
            }
            if (!closed) throw new MalformedSignatureException($"armored PGP {label} has no '{end}' line");
            byte[] data;
            try
            {
                data = Convert.FromBase64String(body.ToString());
            }
            catch (FormatException)
            {
                throw new MalformedSignatureException($"armored PGP {label} is not valid base64");
            }
            if (crc is not null)
            {
                byte[] expected;
                try
                {
                    expected = Convert.FromBase64String(crc);
                }
                catch (FormatException)
                {
                    throw new MalformedSignatureException($"armored PGP {label} has a malformed checksum line");
                }
                var actual = Crc24(data);
                if (expected.Length != 3 || expected[0] != (byte)(actual >> 16) || expected[1] != (byte)(actual >> 8) || expected[2] != (byte)actual)
                    throw new MalformedSignatureException($"armored PGP {label} fails its CRC-24 checksum (the data was altered)");
            }
            blocks.Add((label, data));
        }
        return blocks;
    }

    // RFC 4880 §6.1
    internal static uint Crc24(ReadOnlySpan<byte> data)
    {
        uint crc = 0xB704CE;
        foreach (var b in data)
        {
            crc ^= (uint)b << 16;
            for (var k = 0; k < 8; k++)
            {
                crc <<= 1;
                if ((crc & 0x1000000) != 0) crc ^= 0x1864CFB;
            }
        }
        return crc & 0xFFFFFF;
    }
}

/// One OpenPGP packet: its tag and its body (partial bodies joined).
internal readonly record struct PgpPacket(int Tag, byte[] Body);

/// Splits binary OpenPGP data into packets (RFC 4880 §4.2: old and new formats, partial body lengths).
internal static class PgpPackets
{
    public static List<PgpPacket> Read(byte[] data)
    {
        var packets = new List<PgpPacket>();
        var r = new WireReader(data);
        while (r.HasData)
        {
            var header = r.Byte();
            if ((header & 0x80) == 0) throw new MalformedSignatureException("not OpenPGP data (a packet header must have its top bit set)");
            int tag;
            if ((header & 0x40) != 0)
            {
                tag = header & 0x3F;
                using var body = new MemoryStream();
                while (true)
                {
                    var first = r.Byte();
                    if (first < 192)
                    {
                        body.Write(r.Bytes(first));
                        break;
                    }
                    if (first < 224)
                    {
                        var length = ((first - 192) << 8) + r.Byte() + 192;
                        body.Write(r.Bytes(length));
                        break;
                    }
                    if (first == 255)
                    {
                        var length = r.UInt32();
                        if (length > (uint)r.Remaining) throw new MalformedSignatureException("packet runs past the end of the data");
                        body.Write(r.Bytes((int)length));
                        break;
                    }
                    // partial body length: a power of two, more parts follow
                    var part = 1 << (first & 0x1F);
                    if (part > r.Remaining) throw new MalformedSignatureException("packet runs past the end of the data");
                    body.Write(r.Bytes(part));
                }
                packets.Add(new PgpPacket(tag, body.ToArray()));
            }
            else
            {
                tag = (header >> 2) & 0x0F;
                var lengthType = header & 0x03;
                long length = lengthType switch
                {
                    0 => r.Byte(),
                    1 => r.UInt16(),
                    2 => r.UInt32(),
                    _ => r.Remaining,
                };
                if (length > r.Remaining) throw new MalformedSignatureException("packet runs past the end of the data");
                packets.Add(new PgpPacket(tag, r.Bytes((int)length)));
            }
        }
        return packets;
    }
}
