using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.MongooseEnumWithoutType;

public class MongooseEnumWithoutTypeTests
{
    private const string Id = "mongoose-enum-without-type";
    private const string Pkg = """{ "name": "tasks", "dependencies": { "@nestjs/mongoose": "^11.0.0", "mongoose": "^8.9.0" } }""";

    private static List<Finding> Run(string prop, string property, string pkg = Pkg) =>
        Scan.Files(("tasks/package.json", pkg),
            ("tasks/src/status.ts", "export enum TaskStatus { A = 'A' }\nexport interface Meta { x: string }\n"),
            ("tasks/src/task.schema.ts", $"import {{ Prop, Schema }} from '@nestjs/mongoose';\n@Schema()\nexport class TaskDocument {{\n  {prop}\n  {property}\n}}\n"))
            .Of(Id).ToList();

    [Fact]
    public void Named_enum_type_is_a_warning_at_the_prop_naming_the_field()
    {
        var f = Run("@Prop({ required: true, enum: TaskStatus })", "status: TaskStatus;").Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Span.File.Should().Be("tasks/src/task.schema.ts");
        f.Span.StartLine.Should().Be(4);
        f.Message.Should().Contain("TaskDocument.status").And.Contain("enum: TaskStatus");
        f.Fix.Should().Contain("type: String, enum: TaskStatus");
    }

    [Theory]
    [InlineData("status;")]
    [InlineData("status: any;")]
    [InlineData("status: Meta;")]
    public void Types_that_emit_object_are_errors(string property) =>
        Run("@Prop({ enum: TaskStatus })", property).Should().ContainSingle().Which.Severity.Should().Be(Severity.Error);

    [Theory]
    [InlineData("@Prop({ type: String, enum: TaskStatus })", "status: TaskStatus;")]
    [InlineData("@Prop({ enum: TaskStatus })", "status: string;")]
    [InlineData("@Prop({ enum: TaskStatus })", "history: TaskStatus[];")]
    [InlineData("@Prop({ enum: TaskStatus })", "history: Array<TaskStatus>;")]
    [InlineData("@Prop()", "status: TaskStatus;")]
    [InlineData("@Prop({ enum: ['active', 'disabled'] })", "status!: 'active' | 'disabled';")]
    [InlineData("@Prop(statusOptions)", "status: TaskStatus;")]
    [InlineData("@Prop({ required: true })", "status: TaskStatus;")]
    public void Explicit_types_primitives_arrays_and_props_without_enum_are_fine(string prop, string property) =>
        Run(prop, property).Should().BeEmpty();

    [Fact]
    public void A_union_with_null_depends_on_strict_null_checks_a_warning() =>
        Run("@Prop({ enum: TaskStatus, default: null })", "status: TaskStatus | null;").Should().ContainSingle().Which.Severity.Should().Be(Severity.Warning);

    [Fact]
    public void Apps_without_nestjs_mongoose_are_not_read() =>
        Run("@Prop({ enum: TaskStatus })", "status: TaskStatus;", pkg: """{ "name": "tasks", "dependencies": { "@typegoose/typegoose": "^12.0.0" } }""").Should().BeEmpty();
}
