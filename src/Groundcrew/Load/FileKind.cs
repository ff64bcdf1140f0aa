using System.Runtime.InteropServices;

namespace Groundcrew.Load;

/// <summary>
/// Tells a regular file from a named pipe, socket or device. .NET has no API for it, and opening a FIFO
/// for reading blocks forever, so a FIFO named `x.yaml` would hang the scan. Only asked for files that
/// report a length of 0, which is what such special files report.
/// </summary>
internal static partial class FileKind
{
    private const uint TypeMask = 0xF000;
    private const uint Regular = 0x8000;

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, byte[] buffer);

    /// <summary>False only when the OS says the path is something other than a regular file.</summary>
    public static bool IsRegularFile(string path)
    {
        if (!OperatingSystem.IsLinux()) return true;
        // st_mode sits after st_dev, st_ino and st_nlink on x86-64, after st_dev and st_ino on arm64.
        var offset = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 24,
            Architecture.Arm64 => 16,
            _ => -1,
        };
        if (offset < 0) return true;
        try
        {
            var buffer = new byte[256];
            if (Stat(path, buffer) != 0) return true;
            var mode = BitConverter.ToUInt32(buffer, offset);
            return (mode & TypeMask) == Regular;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }
}
