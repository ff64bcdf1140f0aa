using System.Xml.Linq;

namespace Groundcrew.Report;

/// <summary>
/// The JUnit XML shape CI servers read (GitHub test reporters, GitLab, Jenkins):
/// testsuites > testsuite > testcase, with failure/skipped children. Shared by check, verify and diagnose.
/// </summary>
public sealed class JUnitXml
{
    private readonly XElement _root = new("testsuites");

    public Suite AddSuite(string name)
    {
        var element = new XElement("testsuite", new XAttribute("name", name));
        _root.Add(element);
        return new Suite(element);
    }

    public override string ToString()
    {
        foreach (var suite in _root.Elements("testsuite"))
        {
            var cases = suite.Elements("testcase").ToList();
            suite.SetAttributeValue("tests", cases.Count);
            suite.SetAttributeValue("failures", cases.Count(c => c.Element("failure") != null));
            suite.SetAttributeValue("errors", cases.Count(c => c.Element("error") != null));
            suite.SetAttributeValue("skipped", cases.Count(c => c.Element("skipped") != null));
            var time = cases.Sum(c => double.TryParse((string?)c.Attribute("time"), System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : 0);
            suite.SetAttributeValue("time", time.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
        }
        var all = _root.Descendants("testcase").ToList();
        _root.SetAttributeValue("tests", all.Count);
        _root.SetAttributeValue("failures", all.Count(c => c.Element("failure") != null));
        _root.SetAttributeValue("errors", all.Count(c => c.Element("error") != null));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), _root).Declaration + "\n" + _root;
    }

    public sealed class Suite(XElement element)
    {
        public void AddCase(string name, string className, TimeSpan? time = null, string? failureMessage = null,
            string? failureText = null, string? failureType = null, bool skipped = false, string? systemOut = null)
        {
            var testcase = new XElement("testcase", new XAttribute("name", name), new XAttribute("classname", className));
            if (time is { } t) testcase.Add(new XAttribute("time", t.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));
            if (failureMessage != null)
                testcase.Add(new XElement("failure", new XAttribute("message", failureMessage),
                    new XAttribute("type", failureType ?? "failure"), failureText ?? failureMessage));
            if (skipped) testcase.Add(new XElement("skipped"));
            if (systemOut != null) testcase.Add(new XElement("system-out", systemOut));
            element.Add(testcase);
        }
    }
}
