// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using System.Text;
using Bulwark.Cataloging.Formats.Toml;
using Bulwark.Core;

namespace Bulwark.Cataloging.Tests.Formats.Toml;

public class TomlDocumentTests
{
    // Each row: a document and the table it must produce, written compactly: strings quoted, integers bare,
    // floats with a 'f' suffix, date-times as kind(text), arrays [..], tables {..}, keys in document order.
    public static TheoryData<string, string> Valid => new()
    {
        { "", "{}" },
        { "# only a comment\n\n   \t\n", "{}" },
        { "a = 1", "{a=1}" },
        { "a = 1 # trailing comment\r\nb = 2\r\n", "{a=1,b=2}" },
        { "bare_key-1 = 1\n\"quoted key\" = 2\n'literal.key' = 3\n\"\" = 4", "{bare_key-1=1,\"quoted key\"=2,\"literal.key\"=3,\"\"=4}" },
        { "a.b.c = 1\na . \"d\" = 2", "{a={b={c=1},d=2}}" },
        { "s = \"tab\\there \\\"q\\\" \\\\ \\u00e9 \\U0001F600 \\b\\f\\r\\n\"", "{s=\"tab\\there \\\"q\\\" \\\\ é 😀 \\b\\f\\r\\n\"}" },
        { "s = 'C:\\Users\\nodejs\\templates'", "{s=\"C:\\\\Users\\\\nodejs\\\\templates\"}" },
        { "s = \"\"\"\nRoses are red\nViolets are blue\"\"\"", "{s=\"Roses are red\\nViolets are blue\"}" },
        { "s = \"\"\"\nThe quick \\\n\n   brown \\   \n  fox.\"\"\"", "{s=\"The quick brown fox.\"}" },
        { "s = \"\"\"Here are two quotes: \"\". Five: \"\"\"\"\"", "{s=\"Here are two quotes: \\\"\\\". Five: \\\"\\\"\"}" },
        { "s = '''\nfirst line\n  \\n stays '' '''", "{s=\"first line\\n  \\\\n stays '' \"}" },
        { "s = ''''That,' she said'''''", "{s=\"'That,' she said''\"}" },
        { "i = [+99, 42, 0, -17, 1_000, 5_349_221, 9223372036854775807, -9223372036854775808]",
          "{i=[99,42,0,-17,1000,5349221,9223372036854775807,-9223372036854775808]}" },
        { "h = [0xDEADBEEF, 0xdead_beef, 0o01234567, 0o755, 0b11010110, 0x7FFFFFFFFFFFFFFF]",
          "{h=[3735928559,3735928559,342391,493,214,9223372036854775807]}" },
        { "f = [+1.0, 3.1415, -0.01, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991, 0.0, -0e0]",
          "{f=[1f,3.1415f,-0.01f,5E+22f,1000000f,-0.02f,6.626E-34f,224617.445991f,0f,-0f]}" },
        { "f = [inf, +inf, -inf, nan, +nan, -nan]", "{f=[Infinityf,Infinityf,-Infinityf,NaNf,NaNf,NaNf]}" },
        { "t = true\nf = false", "{t=true,f=false}" },
        { "d = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00.999999-07:00, 1979-05-27 07:32:00+01:00, 1979-05-27T07:32:00, 1979-05-27, 07:32:00, 00:32:00.999999]",
          "{d=[offset(1979-05-27T07:32:00Z),offset(1979-05-27T00:32:00.999999-07:00),offset(1979-05-27 07:32:00+01:00),local(1979-05-27T07:32:00),date(1979-05-27),time(07:32:00),time(00:32:00.999999)]}" },
        { "leap = 2024-02-29", "{leap=date(2024-02-29)}" },
        { "a = [ [ 1, 2 ], [\"a\", 'b'], [], [1.5, \"mixed\", { x = 1 }] ]", "{a=[[1,2],[\"a\",\"b\"],[],[1.5f,\"mixed\",{x=1}]]}" },
        { "a = [\n  1, # one\n  2,\n  # nothing\n]\n", "{a=[1,2]}" },
        { "p = { x = 1, y.z = \"two\", \"w\" = { } }", "{p={x=1,y={z=\"two\"},w={}}}" },
        { "[a]\nx = 1\n[b.c]\ny = 2", "{a={x=1},b={c={y=2}}}" },
        { "[ a . \"b c\" . 'd' ]\nx = 1", "{a={\"b c\"={d={x=1}}}}" },
        { "[a.b.c]\nx = 1\n[a]\ny = 2", "{a={b={c={x=1}},y=2}}" },
        { "[a.b.c]\nx = 1\n[a]\nb.d = 2", "{a={b={c={x=1},d=2}}}" },
        { "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
          "{fruit={apple={color=\"red\",taste={sweet=true},texture={smooth=true}}}}" },
        { "a.b = 1\n[a.c]\nd = 2", "{a={b=1,c={d=2}}}" },
        { "[[p]]\nname = \"a\"\n[p.meta]\nx = 1\n[[p.files]]\nf = 1\n[[p.files]]\nf = 2\n[[p]]\nname = \"b\"",
          "{p=[{name=\"a\",meta={x=1},files=[{f=1},{f=2}]},{name=\"b\"}]}" },
        { "[[a.b]]\n[a]\nc = 1", "{a={b=[{}],c=1}}" },
        { "a = \"x\"\r\n[t]\r\nb = \"\"\"\r\nline\r\n\"\"\"\r\n", "{a=\"x\",t={b=\"line\\n\"}}" },
        { "\uFEFFa = 1", "{a=1}" },
        { "true = true\nfalse = 1\ninf = 2\n1234 = 3\n-- = 4", "{true=true,false=1,inf=2,1234=3,--=4}" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Reads_valid_documents(string document, string expected) =>
        Assert.Equal(expected, Render(TomlDocument.Parse(document)));

    // Each row: a document, the line the error must name, and a fragment of the message.
    public static TheoryData<string, int, string> Invalid => new()
    {
        { "a = 1\na = 2", 2, "'a' is defined more than once" },
        { "a.b = 1\na.b = 2", 2, "'a.b' is defined more than once" },
        { "a = 1\na.b = 2", 2, "cannot add keys to 'a'" },
        { "[a]\nx = 1\n\n[a]", 4, "table [a] is defined more than once" },
        { "[a.b]\n[a.b]", 2, "table [a.b] is defined more than once" },
        { "[a]\nb.c = 1\n[a.b]", 3, "cannot define [a.b]" },
        { "a.b = 1\n[a]", 2, "cannot define [a]" },
        { "a = { b = 1 }\n[a.c]", 2, "inline table" },
        { "a = { b = 1 }\na.c = 2", 2, "cannot add keys to 'a'" },
        { "a = { b.c = 1 }\n[a.b.d]", 2, "inline table" },
        { "[[a]]\n[a]", 2, "array of tables" },
        { "[a]\n[[a]]", 2, "cannot define [[a]]" },
        { "a = [1]\n[[a]]", 2, "cannot define [[a]]" },
        { "a = 1\n[a.b]", 2, "'a' is already an integer" },
        { "[a.b.c]\n[a]\nb.c.d = 1", 3, "cannot add keys to 'b.c'" },
        { "[a.b.c]\n[a]\nb.d = 1\n[a.b]", 4, "cannot define [a.b]" },
        { "a = \"unterminated\nb = 1", 1, "not closed" },
        { "a = 'unterminated", 1, "not closed" },
        { "a = \"\"\"never\nclosed", 1, "not closed" },
        { "a = '''x''''''", 1, "too many quotes" },
        { "a = \"\\x41\"", 1, "not a TOML escape" },
        { "a = \"\\uD800\"", 1, "not a Unicode scalar" },
        { "a = \"\\u12\"", 1, "4 hex digits" },
        { "a = \"bell\u0007\"", 1, "control character U+0007" },
        { "# bell \u0007", 1, "not allowed in a comment" },
        { "a = 1\rb = 2", 1, "carriage return" },
        { "a = 01", 1, "'01' is not a valid value" },
        { "a = 1__0", 1, "not a valid value" },
        { "a = _1", 1, "expected a value" },
        { "a = 1_", 1, "not a valid value" },
        { "a = 0x", 1, "not a valid value" },
        { "a = 0xG1", 1, "not a valid integer" },
        { "a = +0x1", 1, "not a valid value" },
        { "a = 0x8000000000000000", 1, "does not fit in 64 bits" },
        { "a = 9223372036854775808", 1, "does not fit in 64 bits" },
        { "a = 1.", 1, "not a valid value" },
        { "a = .5", 1, "expected a value" },
        { "a = 1.e5", 1, "not a valid value" },
        { "a = 03.14", 1, "not a valid value" },
        { "a = infinity", 1, "not a valid value" },
        { "a = tru", 1, "expected a value" },
        { "a = bare", 1, "expected a value" },
        { "a = 1 b = 2", 1, "expected the end of the line" },
        { "a =", 1, "expected a value" },
        { "= 1", 1, "expected a key" },
        { "a b = 1", 1, "expected '=' after the key 'a'" },
        { "\"\"\"a\"\"\" = 1", 1, "multi-line" },
        { "[a", 1, "expected ']'" },
        { "[[a] ]", 1, "expected ']]'" },
        { "[a] b = 1", 1, "expected the end of the line" },
        { "[]", 1, "expected a key" },
        { "a = [1 2]", 1, "expected ',' or ']'" },
        { "a = [1,,2]", 1, "expected a value" },
        { "a = [\n1,\n2", 3, "found end of file" },
        { "a = { b = 1, }", 1, "cannot end with a comma" },
        { "a = { b = 1\n}", 1, "on one line" },
        { "a = { b = 1 c = 2 }", 1, "expected ',' or '}'" },
        { "a = { b = 1, b = 2 }", 1, "'b' is defined more than once" },
        { "a = 1979-13-01", 1, "not a valid date" },
        { "a = 2023-02-29", 1, "not a valid date" },
        { "a = 1979-05-27T24:00:00", 1, "not a valid time" },
        { "a = 1979-05-27T07:32", 1, "not a valid value" },
        { "a = 12:60:00", 1, "not a valid time" },
        { "s = \"\"\"\n\n\n\"\"\"\nb = ?", 5, "expected a value, found '?'" },
        { "a = " + new string('[', 500), 1, "nested more than 128 deep" },
        { "x = 1\n" + "a = " + new string('{', 300), 2, "" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Rejects_invalid_documents_naming_the_line(string document, int line, string fragment)
    {
        var e = Assert.Throws<InputException>(() => TomlDocument.Parse(document));
        Assert.StartsWith($"line {line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_getters_return_values_and_null_for_missing_keys()
    {
        var t = TomlDocument.Parse("s = \"x\"\ni = 7\nf = 1.5\nb = true\nd = 2024-01-02\narr = [\"a\", \"b\"]\n[sub]\nk = 1\n[[list]]\nn = 1\n[[list]]\nn = 2\n");
        Assert.Equal("x", t.GetString("s"));
        Assert.Equal(7, t.GetInteger("i"));
        Assert.Equal(1.5, t.GetFloat("f"));
        Assert.True(t.GetBoolean("b"));
        Assert.Equal(new TomlDateTime("2024-01-02", TomlDateTimeKind.LocalDate), t.GetDateTime("d"));
        Assert.Equal(["a", "b"], t.GetStrings("arr"));
        Assert.Equal(1, t.GetTable("sub")!.GetInteger("k"));
        Assert.Equal([1L, 2L], t.GetTables("list").Select(x => x.GetInteger("n")!.Value));
        Assert.Null(t.GetString("missing"));
        Assert.Null(t.GetTable("missing"));
        Assert.Empty(t.GetTables("missing"));
        Assert.Empty(t.GetStrings("missing"));
        Assert.Equal(["s", "i", "f", "b", "d", "arr", "sub", "list"], t.Keys);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_an_input_error_naming_its_line()
    {
        var t = TomlDocument.Parse("a = 1\n\nname = 3\nlist = [1, \"x\"]");
        var e = Assert.Throws<InputException>(() => t.GetString("name"));
        Assert.Equal("line 3: 'name' is an integer, expected a string.", e.Message);
        e = Assert.Throws<InputException>(() => t.GetStrings("list"));
        Assert.Equal("line 4: element 1 of 'list' is an integer, expected a string.", e.Message);
        Assert.Throws<InputException>(() => t.GetTables("list"));
    }

    [Fact]
    public void Tables_and_keys_know_their_lines()
    {
        var t = TomlDocument.Parse("# lock\n\n[[package]]\nname = \"a\"\n\n[[package]]\nname = \"b\"\nversion = \"1\"\n[metadata]\nx = { y = 1 }\n");
        var packages = t.GetTables("package");
        Assert.Equal([3, 6], packages.Select(p => p.Line));
        Assert.Equal(8, packages[1].LineOf("version"));
        Assert.Equal(9, t.GetTable("metadata")!.Line);
        Assert.Equal(10, t.GetTable("metadata")!.GetTable("x")!.Line);
    }

    [Fact]
    public void Reads_a_large_document_in_linear_time()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 20_000; i++) sb.Append(CultureInfo.InvariantCulture, $"[[package]]\nname = \"p{i}\"\nversion = \"1.0.{i}\"\ndependencies = [\"a\", \"b 1.0\"]\n\n");
        var started = DateTime.UtcNow;
        var t = TomlDocument.Parse(sb.ToString());
        Assert.Equal(20_000, t.GetTables("package").Count);
        Assert.Equal(5 * 19_999 + 1, t.GetTables("package")[^1].Line);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("cargo/zizmorcore__zizmor/Cargo.lock", "package", 450)]
    [InlineData("uv/sigstore__sigstore-python/uv.lock", "package", 89)]
    [InlineData("poetry/python-poetry__poetry/poetry.lock", "package", 78)]
    public void Reads_real_lockfiles_from_the_corpus(string path, string key, int expectedCount)
    {
        var t = TomlDocument.Parse(File.ReadAllText(CatalogerRun.Corpus(path)));
        Assert.Equal(expectedCount, t.GetTables(key).Count);
    }

    private static string Render(object value) => value switch
    {
        TomlTable t => "{" + string.Join(",", t.Select(kv => RenderKey(kv.Key) + "=" + Render(kv.Value))) + "}",
        TomlArray a => "[" + string.Join(",", a.Select(Render)) + "]",
        string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\b", "\\b", StringComparison.Ordinal)
            .Replace("\f", "\\f", StringComparison.Ordinal) + "\"",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture) + "f",
        bool b => b ? "true" : "false",
        TomlDateTime dt => dt.Kind switch
        {
            TomlDateTimeKind.OffsetDateTime => "offset",
            TomlDateTimeKind.LocalDateTime => "local",
            TomlDateTimeKind.LocalDate => "date",
            _ => "time",
        } + "(" + dt.Text + ")",
        _ => throw new ArgumentException(value.GetType().Name),
    };

    private static string RenderKey(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? key : "\"" + key + "\"";
}
