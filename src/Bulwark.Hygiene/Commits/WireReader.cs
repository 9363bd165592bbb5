// SPDX-License-Identifier: Apache-2.0
namespace Bulwark.Hygiene.Commits;

/// Reads big-endian fields from a bounded byte array; every read checks the bounds, so hostile lengths end in
/// <see cref="MalformedSignatureException"/>, never in an over-read or a huge allocation.
internal sealed class WireReader(byte[] buffer, int start, int end)
{
    private int _pos = start;

    public WireReader(byte[] buffer) : this(buffer, 0, buffer.Length) { }

    public int Position => _pos;
    public int Remaining => end - _pos;
    public bool HasData => _pos < end;
    public byte[] Buffer => buffer;

    public byte Byte()
    {
        Need(1);
        return buffer[_pos++];
    }

    public int UInt16()
    {
        Need(2);
        var v = (buffer[_pos] << 8) | buffer[_pos + 1];
        _pos += 2;
        return v;
    }

    public uint UInt32()
    {
        Need(4);
        var v = ((uint)buffer[_pos] << 24) | ((uint)buffer[_pos + 1] << 16) | ((uint)buffer[_pos + 2] << 8) | buffer[_pos + 3];
        _pos += 4;
        return v;
    }

    public byte[] Bytes(int count)
    {
        if (count < 0) throw new MalformedSignatureException("negative length");
        Need(count);
        var v = buffer.AsSpan(_pos, count).ToArray();
        _pos += count;
        return v;
    }

    public void Skip(int count)
    {
        if (count < 0) throw new MalformedSignatureException("negative length");
        Need(count);
        _pos += count;
    }

    /// An SSH `string` (RFC 4251 §5): uint32 length, then the bytes.
    public byte[] SshString()
    {
        var length = UInt32();
        if (length > (uint)Remaining) throw new MalformedSignatureException($"field of {length} bytes runs past the end of the data");
        return Bytes((int)length);
    }

    /// An OpenPGP MPI (RFC 4880 §3.2): a 2-octet bit count, then the bytes, leading zeros stripped.
    public byte[] Mpi()
    {
        var bits = UInt16();
        var value = Bytes((bits + 7) / 8);
        // the count must name the top set bit exactly (RFC 9580 §3.2): a count that lies is altered data
        if (value.Length > 0 && (value[0] == 0 || 7 - byte.LeadingZeroCount(value[0]) != (bits - 1) % 8))
            throw new MalformedSignatureException("an MPI's bit count does not match its value");
        return value;
    }

    private void Need(int count)
    {
        if (count > end - _pos) throw new MalformedSignatureException("truncated data");
    }
}
