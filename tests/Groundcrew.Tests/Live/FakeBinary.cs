namespace Groundcrew.Tests.Live;

/// <summary>A small shell script standing in for `aws` or `kubectl`, so the transport's behaviour is tested on real processes.</summary>
public static class FakeBinary
{
    public static string Write(string name, string body)
    {
        var dir = Directory.CreateTempSubdirectory("gc-fakebin-").FullName;
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
