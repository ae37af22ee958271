using System.Buffers.Binary;
using System.Text;

namespace Vigil.Detectors.Native;

/// <summary>
/// Reads what a 64-bit little-endian ELF shared library depends on: the libraries it needs (<c>DT_NEEDED</c>),
/// the symbol versions it requires from them (<c>.gnu.version_r</c>) and which dynamic symbols are bound to
/// each version; and makes a copy with one version need marked <c>VER_FLG_WEAK</c>, which lets the dynamic
/// loader accept the library when that version is absent instead of refusing it.
/// </summary>
public sealed class ElfDependencies
{
    /// <summary>Flag on a version need: the loader warns instead of failing when the version is absent.</summary>
    public const ushort VerFlgWeak = 0x2;

    private const uint ShtDynamic = 6;
    private const uint ShtDynsym = 11;
    private const ulong DtNeeded = 1;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;

    private readonly byte[] _image;
    private readonly string _path;

    private ElfDependencies(string path, byte[] image, IReadOnlyList<string> neededLibraries, IReadOnlyList<VersionNeed> needs)
    {
        _path = path;
        _image = image;
        NeededLibraries = neededLibraries;
        Needs = needs;
    }

    /// <summary>One required version, e.g. GLIBCXX_3.4.32 from libstdc++.so.6.</summary>
    /// <param name="FlagsOffset">File offset of this entry's 16-bit <c>vna_flags</c>.</param>
    public sealed record VersionNeed(string Library, string Version, ushort Index, ushort Flags, long FlagsOffset,
        IReadOnlyList<string> Symbols)
    {
        public bool IsWeak => (Flags & VerFlgWeak) != 0;
    }

    /// <summary>The <c>DT_NEEDED</c> entries, in order.</summary>
    public IReadOnlyList<string> NeededLibraries { get; }

    public IReadOnlyList<VersionNeed> Needs { get; }

    public ReadOnlySpan<byte> Image => _image;

    public static ElfDependencies Read(string path) => Parse(path, File.ReadAllBytes(path));

    public static ElfDependencies Parse(string path, byte[] image)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw Bad(path, "not an ELF file");
        if (image[4] != 2 || image[5] != 1)
            throw Bad(path, "not a 64-bit little-endian ELF file");

        var span = image.AsSpan();
        long shoff = checked((long)U64(span, 0x28, path));
        int shentsize = U16(span, 0x3A, path);
        int shnum = U16(span, 0x3C, path);
        if (shentsize != 64 || shnum == 0)
            throw Bad(path, $"unexpected section header table (entry size {shentsize}, count {shnum})");

        var sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            long h = shoff + (long)i * shentsize;
            sections[i] = new Section(
                Type: U32(span, h + 4, path),
                Offset: checked((long)U64(span, h + 24, path)),
                Size: checked((long)U64(span, h + 32, path)),
                Link: U32(span, h + 40, path),
                Info: U32(span, h + 44, path));
        }

        var verneed = sections.SingleOrDefault(s => s.Type == ShtGnuVerneed)
                      ?? throw Bad(path, "no .gnu.version_r section (the library needs no symbol versions)");
        var versym = sections.SingleOrDefault(s => s.Type == ShtGnuVersym)
                     ?? throw Bad(path, "no .gnu.version section");
        var dynsym = sections.SingleOrDefault(s => s.Type == ShtDynsym)
                     ?? throw Bad(path, "no .dynsym section");

        var verStrings = sections[checked((int)verneed.Link)];
        var symStrings = sections[checked((int)dynsym.Link)];

        // Which dynamic symbols are bound to which version index (the low 15 bits of .gnu.version).
        var symbolsByIndex = new Dictionary<ushort, List<string>>();
        long symbolCount = dynsym.Size / 24;
        for (long s = 0; s < symbolCount; s++)
        {
            ushort index = (ushort)(U16(span, versym.Offset + s * 2, path) & 0x7fff);
            if (index <= 1) continue; // local or global (unversioned)
            uint nameOffset = U32(span, dynsym.Offset + s * 24, path);
            var name = CString(span, symStrings.Offset + nameOffset, path);
            if (!symbolsByIndex.TryGetValue(index, out var list)) symbolsByIndex[index] = list = [];
            list.Add(name);
        }

        var needs = new List<VersionNeed>();
        long entry = verneed.Offset;
        for (uint n = 0; n < verneed.Info; n++)
        {
            int count = U16(span, entry + 2, path);
            var library = CString(span, verStrings.Offset + U32(span, entry + 4, path), path);
            long aux = entry + U32(span, entry + 8, path);
            for (int a = 0; a < count; a++)
            {
                ushort flags = (ushort)U16(span, aux + 4, path);
                ushort index = (ushort)U16(span, aux + 6, path);
                var version = CString(span, verStrings.Offset + U32(span, aux + 8, path), path);
                needs.Add(new VersionNeed(library, version, index, flags, aux + 4,
                    symbolsByIndex.TryGetValue(index, out var syms) ? syms : []));
                uint nextAux = U32(span, aux + 12, path);
                if (nextAux == 0) break;
                aux += nextAux;
            }
            uint next = U32(span, entry + 12, path);
            if (next == 0) break;
            entry += next;
        }

        var neededLibraries = new List<string>();
        var dynamic = sections.SingleOrDefault(s => s.Type == ShtDynamic)
                      ?? throw Bad(path, "no .dynamic section");
        var dynStrings = sections[checked((int)dynamic.Link)];
        for (long d = dynamic.Offset; d + 16 <= dynamic.Offset + dynamic.Size; d += 16)
        {
            ulong tag = U64(span, d, path);
            if (tag == 0) break; // DT_NULL
            if (tag == DtNeeded)
                neededLibraries.Add(CString(span, dynStrings.Offset + checked((long)U64(span, d + 8, path)), path));
        }

        return new ElfDependencies(path, image, neededLibraries, needs);
    }

    /// <summary>A copy of the image with the given version need marked weak; every other byte unchanged.</summary>
    public byte[] WithWeakNeed(string version)
    {
        var need = Needs.SingleOrDefault(n => n.Version == version)
                   ?? throw Bad(_path, $"it does not require {version}");
        var copy = (byte[])_image.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(checked((int)need.FlagsOffset)), (ushort)(need.Flags | VerFlgWeak));
        return copy;
    }

    private sealed record Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private static InvalidDataException Bad(string path, string why) =>
        new($"'{path}' is not the ELF library expected: {why}.");

    private static int U16(ReadOnlySpan<byte> s, long at, string path) =>
        BinaryPrimitives.ReadUInt16LittleEndian(Slice(s, at, 2, path));

    private static uint U32(ReadOnlySpan<byte> s, long at, string path) =>
        BinaryPrimitives.ReadUInt32LittleEndian(Slice(s, at, 4, path));

    private static ulong U64(ReadOnlySpan<byte> s, long at, string path) =>
        BinaryPrimitives.ReadUInt64LittleEndian(Slice(s, at, 8, path));

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> s, long at, int length, string path)
    {
        if (at < 0 || at + length > s.Length) throw Bad(path, $"offset {at} lies outside the file (truncated?)");
        return s.Slice((int)at, length);
    }

    private static string CString(ReadOnlySpan<byte> s, long at, string path)
    {
        if (at < 0 || at >= s.Length) throw Bad(path, $"string offset {at} lies outside the file");
        var rest = s[(int)at..];
        int end = rest.IndexOf((byte)0);
        if (end < 0) throw Bad(path, $"unterminated string at offset {at}");
        return Encoding.ASCII.GetString(rest[..end]);
    }
}
