namespace LumaDB.Query.Tests.PromQL;

/// <summary>Finds the shared conformance folder by walking up from the test assembly.</summary>
internal static class ConformanceFiles
{
    public static string PromQLDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null)
            {
                // The repository sits next to a "shared" folder that holds the conformance suite.
                var candidate = Path.Combine(dir.FullName, "shared", "conformance", "promql");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }

                dir = dir.Parent;
            }

            throw new DirectoryNotFoundException("shared/conformance/promql not found above " + AppContext.BaseDirectory);
        }
    }

    public static IEnumerable<string> TestFiles =>
        Directory.GetFiles(PromQLDirectory, "*.test").OrderBy(f => f, StringComparer.Ordinal);

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var f in TestFiles)
            {
                data.Add(Path.GetFileName(f));
            }

            return data;
        }
    }
}
