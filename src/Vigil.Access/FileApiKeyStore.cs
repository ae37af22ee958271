using System.Text.Json;

namespace Vigil.Access;

/// <summary>
/// Key records in one JSON file (the embedded default and `vigil keys --file`). Writes go to a temp file renamed into
/// place, so a reader never sees half a file; reads pick up changes another process made.
/// </summary>
public sealed class FileApiKeyStore(string path) : IApiKeyStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (DateTime Stamp, Dictionary<string, ApiKeyRecord> Records)? _cache;

    public string Path => path;

    public async Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        (await LoadAsync(cancellationToken)).GetValueOrDefault(id);

    public async Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default) =>
        await UpdateAsync(records => records[record.Id] = record, cancellationToken);

    public async Task<bool> RevokeAsync(string id, DateTimeOffset when, CancellationToken cancellationToken = default)
    {
        bool found = false;
        await UpdateAsync(records =>
        {
            if (records.TryGetValue(id, out var r)) { records[id] = r with { Revoked = r.Revoked ?? when }; found = true; }
        }, cancellationToken);
        return found;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await LoadAsync(cancellationToken)).Values.OrderBy(r => r.Created)];

    private async Task UpdateAsync(Action<Dictionary<string, ApiKeyRecord>> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var records = new Dictionary<string, ApiKeyRecord>(await ReadAsync(cancellationToken));
            change(records);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(records.Values.OrderBy(r => r.Created), Json), cancellationToken);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(temp, path, overwrite: true);
            _cache = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Dictionary<string, ApiKeyRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        var stamp = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        if (_cache is { } c && c.Stamp == stamp) return c.Records;
        var records = await ReadAsync(cancellationToken);
        _cache = (stamp, records);
        return records;
    }

    private async Task<Dictionary<string, ApiKeyRecord>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path)) return [];
        try
        {
            var list = JsonSerializer.Deserialize<List<ApiKeyRecord>>(await File.ReadAllTextAsync(path, cancellationToken), Json) ?? [];
            return list.ToDictionary(r => r.Id);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a valid Vigil key file: {e.Message}", e);
        }
    }
}
