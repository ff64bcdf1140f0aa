using Groundcrew.Load;

namespace Groundcrew.Core;

/// <summary>
/// Facts shipped as data (src/Groundcrew/Data/**), embedded in the assembly. Each data file carries the
/// source of every fact beside it; code reads them here and never hard-codes the tables.
/// </summary>
public static class DataFiles
{
    /// <summary>Text of Data/&lt;relativePath&gt; (use '/' or '.' between folders), or an exception naming the missing file.</summary>
    public static string ReadText(string relativePath)
    {
        var name = "Groundcrew.Data." + relativePath.Replace('/', '.').Replace('\\', '.');
        using var stream = typeof(DataFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new FileNotFoundException($"embedded data file not found: {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The first YAML document of a data file as a positioned tree.</summary>
    public static MapNode ReadYaml(string relativePath)
    {
        var loaded = YamlTreeLoader.Load(ReadText(relativePath), "Data/" + relativePath);
        if (loaded.Error != null) throw new InvalidDataException($"Data/{relativePath}: {loaded.Error.Message} (line {loaded.Error.Line})");
        return loaded.Documents.FirstOrDefault()?.Root as MapNode ?? throw new InvalidDataException($"Data/{relativePath} is not a YAML mapping");
    }
}
