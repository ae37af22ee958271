using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Vigil.Detectors.Native;

/// <summary>
/// Makes TorchSharp's native bridge load on systems whose libstdc++ is older than the one it was linked
/// against (Debian 12: GLIBCXX_3.4.30; libLibTorchSharp.so 0.107.0 asks for GLIBCXX_3.4.32).
/// </summary>
/// <remarks>
/// The only symbol behind GLIBCXX_3.4.32 is <c>std::ios_base_library_init()</c>, a link-time marker GCC 13
/// emits and nothing calls. So: try the shipped library; if, and only if, it fails for that version, check
/// that the marker really is the only symbol bound to it, write a copy with that one version need marked
/// weak into a cache folder (once, atomically), verify the copy differs from the shipped file in those two
/// flag bytes and nowhere else, and load it before TorchSharp initialises. TorchSharp's own lookup then
/// finds the library already loaded under its soname. Anything unexpected fails with a message saying what.
/// Systems with a new enough libstdc++ (the container images) load the shipped file and nothing else happens.
/// </remarks>
public static class LibTorchSharpLoader
{
    public const string LibraryFile = "libLibTorchSharp.so";
    public const string MissingVersion = "GLIBCXX_3.4.32";
    public const string MarkerSymbol = "_ZSt21ios_base_library_initv";

    public enum Outcome
    {
        /// <summary>Not Linux, or no TorchSharp natives beside the application: TorchSharp reports for itself.</summary>
        NotApplicable,
        LoadedAsShipped,
        LoadedPatchedCopy,
    }

    private static readonly Lock Gate = new();
    private static Outcome? _outcome;

    /// <summary>Where the patched copy went, when one was needed.</summary>
    public static string? PatchedCopyPath { get; private set; }

    /// <summary>Idempotent; call before the first use of TorchSharp.</summary>
    public static Outcome EnsureLoaded()
    {
        lock (Gate)
        {
            return _outcome ??= EnsureLoaded(FindShippedLibrary(), DefaultCacheRoot());
        }
    }

    internal static Outcome EnsureLoaded(string? shippedLibrary, string cacheRoot)
    {
        if (!OperatingSystem.IsLinux() || shippedLibrary is null || !File.Exists(shippedLibrary))
            return Outcome.NotApplicable;

        string loadError;
        try
        {
            NativeLibrary.Load(shippedLibrary);
            return Outcome.LoadedAsShipped;
        }
        catch (DllNotFoundException e)
        {
            loadError = e.Message;
        }

        if (!loadError.Contains(MissingVersion, StringComparison.Ordinal))
            throw new LibTorchSharpLoadException(
                $"TorchSharp's native library '{shippedLibrary}' does not load, and not for the known {MissingVersion} " +
                $"reason, so Vigil does not patch it. The loader said: {loadError}");

        var copy = PreparePatchedCopy(shippedLibrary, cacheRoot);
        var folder = Path.GetDirectoryName(shippedLibrary)!;
        // The shipped file finds libtorch.so and friends through RUNPATH $ORIGIN; the copy lives elsewhere, so
        // load them from the shipped folder first: the copy's DT_NEEDED entries then match them by soname.
        foreach (var needed in ElfDependencies.Read(copy).NeededLibraries)
        {
            var beside = Path.Combine(folder, needed);
            if (File.Exists(beside)) NativeLibrary.Load(beside);
        }

        try
        {
            NativeLibrary.Load(copy);
        }
        catch (DllNotFoundException e)
        {
            throw new LibTorchSharpLoadException(
                $"The patched copy '{copy}' of '{shippedLibrary}' still does not load: {e.Message}");
        }

        PatchedCopyPath = copy;
        return Outcome.LoadedPatchedCopy;
    }

    /// <summary>Writes (once) and verifies the copy with <see cref="MissingVersion"/> weak; returns its path.</summary>
    internal static string PreparePatchedCopy(string shippedLibrary, string cacheRoot)
    {
        var original = File.ReadAllBytes(shippedLibrary);
        var elf = ElfDependencies.Parse(shippedLibrary, original);
        var need = elf.Needs.SingleOrDefault(n => n.Version == MissingVersion)
                   ?? throw new LibTorchSharpLoadException(
                       $"'{shippedLibrary}' failed to load for {MissingVersion} but does not declare that version need.");
        if (need.Symbols.Count != 1 || need.Symbols[0] != MarkerSymbol)
            throw new LibTorchSharpLoadException(
                $"'{shippedLibrary}' binds [{string.Join(", ", need.Symbols)}] to {MissingVersion}; only the never-called " +
                $"marker {MarkerSymbol} is safe to leave unresolved, so Vigil will not patch this file. " +
                "Install a libstdc++ that provides that version (GCC 13 or newer).");

        var hash = Convert.ToHexStringLower(SHA256.HashData(original))[..16];
        var folder = Path.Combine(cacheRoot, hash);
        var target = Path.Combine(folder, LibraryFile);
        if (File.Exists(target) && IsFaithfulPatch(original, File.ReadAllBytes(target), need))
            return target;

        var patched = elf.WithWeakNeed(MissingVersion);
        if (!IsFaithfulPatch(original, patched, need))
            throw new LibTorchSharpLoadException($"Patching '{shippedLibrary}' produced an unexpected image; nothing written.");

        Directory.CreateDirectory(folder);
        // Write then rename, so a concurrent process (parallel test runs) never loads a half-written file.
        var temp = Path.Combine(folder, $"{LibraryFile}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temp, patched);
        File.Move(temp, target, overwrite: true);
        return target;
    }

    /// <summary>Same length, only the two flag bytes of the need differ, and they now carry the weak flag.</summary>
    internal static bool IsFaithfulPatch(byte[] original, byte[] candidate, ElfDependencies.VersionNeed need)
    {
        if (candidate.Length != original.Length) return false;
        int at = checked((int)need.FlagsOffset);
        for (int i = 0; i < original.Length; i++)
        {
            if (i == at || i == at + 1) continue;
            if (candidate[i] != original[i]) return false;
        }
        ushort flags = (ushort)(candidate[at] | candidate[at + 1] << 8);
        return flags == (need.Flags | ElfDependencies.VerFlgWeak);
    }

    /// <summary>The shipped bridge library beside the application (build output or RID-specific publish).</summary>
    public static string? FindShippedLibrary()
    {
        var baseDir = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDir, "runtimes", "linux-x64", "native", LibraryFile),
            Path.Combine(baseDir, LibraryFile),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>VIGIL_NATIVE_CACHE, else $XDG_CACHE_HOME/vigil/native, else ~/.cache/vigil/native.</summary>
    public static string DefaultCacheRoot()
    {
        var explicitRoot = Environment.GetEnvironmentVariable("VIGIL_NATIVE_CACHE");
        if (!string.IsNullOrWhiteSpace(explicitRoot)) return explicitRoot;
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var root = !string.IsNullOrWhiteSpace(xdg) ? xdg
            : !string.IsNullOrWhiteSpace(home) ? Path.Combine(home, ".cache")
            : Path.GetTempPath();
        return Path.Combine(root, "vigil", "native");
    }
}

public sealed class LibTorchSharpLoadException(string message) : Exception(message);
