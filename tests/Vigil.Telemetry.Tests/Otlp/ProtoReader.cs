using System.Buffers.Binary;
using System.Text;

namespace Vigil.Telemetry.Tests.Otlp;

/// <summary>
/// Minimal protobuf wire-format reader: enough to walk OTLP export requests field by field. Unknown fields are
/// skipped by wire type, as protobuf requires, so newer OTLP versions still decode.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    public int Field { get; private set; }
    public int WireType { get; private set; }

    public bool Next()
    {
        if (_at >= _data.Length) return false;
        ulong key = Varint();
        Field = (int)(key >> 3);
        WireType = (int)(key & 7);
        return true;
    }

    public ulong Varint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = _data[_at++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> Bytes()
    {
        int length = checked((int)Varint());
        var slice = _data.Slice(_at, length);
        _at += length;
        return slice;
    }

    public string String() => Encoding.UTF8.GetString(Bytes());

    public ulong Fixed64()
    {
        var v = BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(_at, 8));
        _at += 8;
        return v;
    }

    public double Double() => BitConverter.UInt64BitsToDouble(Fixed64());

    public void Skip()
    {
        switch (WireType)
        {
            case 0: Varint(); break;
            case 1: _at += 8; break;
            case 2: Bytes(); break;
            case 5: _at += 4; break;
            default: throw new InvalidDataException($"unsupported wire type {WireType}");
        }
    }
}
