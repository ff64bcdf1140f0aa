namespace Groundcrew.Core;

/// <summary>Finding levels, ordered. They map one to one onto SARIF's error/warning/note.</summary>
public enum Severity
{
    Note = 0,
    Warning = 1,
    Error = 2,
}

public static class SeverityText
{
    public static string ToText(this Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    public static bool TryParse(string? text, out Severity severity)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "error": severity = Severity.Error; return true;
            case "warning" or "warn": severity = Severity.Warning; return true;
            case "note" or "info": severity = Severity.Note; return true;
            default: severity = Severity.Error; return false;
        }
    }
}
