using System.Runtime.InteropServices;
using Vigil.Detectors.Native;

namespace Vigil.Detectors.Tests.Native;

/// <summary>Exercises the real libLibTorchSharp.so that the build copied beside the tests.</summary>
public sealed class LibTorchSharpLoaderTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("vigil-native-test-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private static string ShippedLibrary() =>
        LibTorchSharpLoader.FindShippedLibrary() ?? throw new InvalidOperationException("libLibTorchSharp.so is not beside the tests");

    [Fact]
    public void Real_library_binds_only_the_marker_symbol_to_GLIBCXX_3_4_32()
    {
        var elf = ElfDependencies.Read(ShippedLibrary());

        var need = Assert.Single(elf.Needs, n => n.Version == LibTorchSharpLoader.MissingVersion);
        Assert.Equal("libstdc++.so.6", need.Library);
        Assert.False(need.IsWeak);
        Assert.Equal([LibTorchSharpLoader.MarkerSymbol], need.Symbols);
        Assert.Contains("libtorch.so", elf.NeededLibraries);
    }

    [Fact]
    public void Patched_copy_differs_in_the_weak_flag_only_and_is_reused()
    {
        var shipped = ShippedLibrary();
        var first = LibTorchSharpLoader.PreparePatchedCopy(shipped, _cache);
        var written = File.GetLastWriteTimeUtc(first);

        var original = File.ReadAllBytes(shipped);
        var patched = File.ReadAllBytes(first);
        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        Assert.Single(differing); // VER_FLG_WEAK (0x2) sets one bit of the low flag byte
        var need = Assert.Single(ElfDependencies.Read(first).Needs, n => n.Version == LibTorchSharpLoader.MissingVersion);
        Assert.True(need.IsWeak);
        // Everything else the file declares is unchanged.
        Assert.Equal(ElfDependencies.Read(shipped).Needs.Count, ElfDependencies.Read(first).Needs.Count);

        var second = LibTorchSharpLoader.PreparePatchedCopy(shipped, _cache);
        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second));
    }

    [Fact]
    public void A_corrupted_cached_copy_is_replaced()
    {
        var shipped = ShippedLibrary();
        var path = LibTorchSharpLoader.PreparePatchedCopy(shipped, _cache);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xff;
        File.WriteAllBytes(path, bytes);

        LibTorchSharpLoader.PreparePatchedCopy(shipped, _cache);

        var original = File.ReadAllBytes(shipped);
        Assert.Equal(original[^1], File.ReadAllBytes(path)[^1]);
    }

    [Fact]
    public void Patched_copy_loads_on_this_machine()
    {
        var outcome = LibTorchSharpLoader.EnsureLoaded();

        Assert.NotEqual(LibTorchSharpLoader.Outcome.NotApplicable, outcome);
        if (outcome == LibTorchSharpLoader.Outcome.LoadedPatchedCopy)
            Assert.True(NativeLibrary.TryLoad(LibTorchSharpLoader.PatchedCopyPath!, out _));
    }

    [Fact]
    public void A_file_that_is_not_ELF_is_refused_with_its_name()
    {
        var bogus = Path.Combine(_cache, "libLibTorchSharp.so");
        File.WriteAllText(bogus, "not a library");

        var e = Assert.Throws<InvalidDataException>(() => ElfDependencies.Read(bogus));
        Assert.Contains(bogus, e.Message);
        Assert.Contains("not an ELF file", e.Message);
    }

    [Fact]
    public void A_truncated_library_is_refused_with_its_name()
    {
        var truncated = Path.Combine(_cache, "truncated.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(ShippedLibrary())[..4096]);

        var e = Assert.Throws<InvalidDataException>(() => ElfDependencies.Read(truncated));
        Assert.Contains(truncated, e.Message);
    }

    [Fact]
    public void A_library_binding_other_symbols_to_the_version_is_not_patched()
    {
        // libtorch_cpu.so is a real ELF library that needs many GLIBCXX versions but not 3.4.32:
        // the loader must refuse it rather than guess.
        var other = Path.Combine(Path.GetDirectoryName(ShippedLibrary())!, "libc10.so");
        var e = Assert.Throws<LibTorchSharpLoadException>(() => LibTorchSharpLoader.PreparePatchedCopy(other, _cache));
        Assert.Contains(other, e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cache));
    }

    [Fact]
    public void A_load_failure_for_another_reason_is_reported_not_patched()
    {
        var bogus = Path.Combine(_cache, "libLibTorchSharp.so");
        File.WriteAllText(bogus, "not a library");

        var e = Assert.Throws<LibTorchSharpLoadException>(() => LibTorchSharpLoader.EnsureLoaded(bogus, _cache));
        Assert.Contains(bogus, e.Message);
        Assert.Contains("does not patch", e.Message);
    }

    [Fact]
    public void Nothing_happens_without_the_library()
    {
        Assert.Equal(LibTorchSharpLoader.Outcome.NotApplicable,
            LibTorchSharpLoader.EnsureLoaded(Path.Combine(_cache, "absent.so"), _cache));
    }
}
