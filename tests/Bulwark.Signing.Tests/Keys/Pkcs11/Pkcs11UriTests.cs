// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Signing.Keys;
using Bulwark.Signing.Keys.Pkcs11;

namespace Bulwark.Signing.Tests.Keys.Pkcs11;

public sealed class Pkcs11UriTests
{
    [Fact]
    public void Reads_path_and_query_attributes()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:token=test;object=signing%20key;id=%01%a2;slot-id=3;type=private;manufacturer=SoftHSM%20project;" +
                                  "serial=abc;model=SoftHSM%20v2?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=12%3B34");
        Assert.Equal("test", uri.Token);
        Assert.Equal("signing key", uri.Object);
        Assert.Equal(new byte[] { 0x01, 0xa2 }, uri.Id);
        Assert.Equal(3UL, uri.SlotId);
        Assert.Equal("private", uri.Type);
        Assert.Equal("SoftHSM project", uri.Manufacturer);
        Assert.Equal("abc", uri.Serial);
        Assert.Equal("SoftHSM v2", uri.Model);
        Assert.Equal("/usr/lib/softhsm/libsofthsm2.so", uri.ModulePath);
        Assert.Equal("12;34", uri.PinValue);
        Assert.Equal("12;34", uri.ReadPin());
        Assert.Equal("pkcs11:token=test;object=signing%20key;id=%01%a2;slot-id=3;type=private;manufacturer=SoftHSM%20project;" +
                     "serial=abc;model=SoftHSM%20v2?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-value=***", uri.Redacted);
    }

    [Fact]
    public void Reads_library_and_slot_attributes_and_ignores_vendor_ones()
    {
        var uri = Pkcs11Uri.Parse("pkcs11:library-manufacturer=SoftHSM;library-description=Implementation%20of%20PKCS11;library-version=2.6;" +
                                  "slot-description=SoftHSM%20slot;slot-manufacturer=SoftHSM;x-vendor=1;object=k?module-name=softhsm2&x-other=2");
        Assert.Equal("SoftHSM", uri.LibraryManufacturer);
        Assert.Equal("Implementation of PKCS11", uri.LibraryDescription);
        Assert.Equal("2.6", uri.LibraryVersion);
        Assert.Equal("SoftHSM slot", uri.SlotDescription);
        Assert.Equal("SoftHSM", uri.SlotManufacturer);
        Assert.Equal("softhsm2", uri.ModuleName);
        Assert.Null(uri.ReadPin());
    }

    [Fact]
    public void Reads_the_pin_from_a_pin_source_file()
    {
        using var dir = new TempDirectory();
        var pinFile = dir.Write("pin", "1234\nignored"u8.ToArray());
        Assert.Equal("1234", Pkcs11Uri.Parse($"pkcs11:object=k?pin-source=file:{pinFile}").ReadPin());
        Assert.Equal("1234", Pkcs11Uri.Parse($"pkcs11:object=k?pin-source=file://{pinFile}").ReadPin());
        Assert.Equal("1234", Pkcs11Uri.Parse($"pkcs11:object=k?pin-source={pinFile}").ReadPin());
        var error = Assert.Throws<InputException>(() => Pkcs11Uri.Parse("pkcs11:object=k?pin-source=file:/nonexistent/pin").ReadPin());
        Assert.StartsWith("Cannot read the PIN for pkcs11:object=k?pin-source=file:/nonexistent/pin: pin-source file:/nonexistent/pin:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_reference_of_a_pkcs11_uri_shows_the_pin_redacted()
    {
        var reference = Assert.IsType<Pkcs11KeyReference>(KeyReference.Parse("pkcs11:token=t;object=k?pin-value=secret&module-path=/m.so"));
        Assert.Equal("pkcs11:token=t;object=k?pin-value=***&module-path=/m.so", reference.Text);
        Assert.False(reference.HoldsPem);
        Assert.Equal("secret", reference.Uri.PinValue);
    }

    [Theory]
    [InlineData("pkcs11:token=t;colour=red", "PKCS#11 URI 'pkcs11:token=t;colour=red': unknown path attribute 'colour'. Path attributes: token, manufacturer, serial, model, library-manufacturer, library-description, library-version, object, type, id, slot-description, slot-manufacturer, slot-id; query attributes: pin-source, pin-value, module-name, module-path.")]
    [InlineData("pkcs11:token=t?pin=1", "PKCS#11 URI 'pkcs11:token=t?pin=1': unknown query attribute 'pin'. Path attributes: token, manufacturer, serial, model, library-manufacturer, library-description, library-version, object, type, id, slot-description, slot-manufacturer, slot-id; query attributes: pin-source, pin-value, module-name, module-path.")]
    [InlineData("pkcs11:token=a;token=b", "PKCS#11 URI 'pkcs11:token=a;token=b': attribute 'token' is given twice.")]
    [InlineData("pkcs11:id=%zz", "PKCS#11 URI 'pkcs11:id=%zz': attribute 'id' has a '%' not followed by two hex digits.")]
    [InlineData("pkcs11:object=k;;token=t", "PKCS#11 URI 'pkcs11:object=k;;token=t' has an empty attribute (two ';' in a row, or one at the end).")]
    [InlineData("pkcs11:object", "PKCS#11 URI 'pkcs11:object': attribute 'object' has no '=value'.")]
    [InlineData("pkcs11:slot-id=-1", "PKCS#11 URI 'pkcs11:slot-id=-1': slot-id '-1' is not a decimal number.")]
    [InlineData("pkcs11:type=key", "PKCS#11 URI 'pkcs11:type=key': type 'key' is not one of public, private, cert, secret-key, data.")]
    [InlineData("pkcs11:object=k?pin-value=1&pin-source=file:/p", "PKCS#11 URI 'pkcs11:object=k?pin-value=***&pin-source=file:/p': give pin-value or pin-source, not both.")]
    [InlineData("pkcs11:object=k?module-path=libsofthsm2.so", "PKCS#11 URI 'pkcs11:object=k?module-path=libsofthsm2.so': module-path 'libsofthsm2.so' must be an absolute path to the module (.so).")]
    [InlineData("pkcs11:object=%ff", "PKCS#11 URI 'pkcs11:object=%ff': attribute 'object' is not UTF-8 text.")]
    public void Malformed_uris_are_usage_errors_naming_the_attribute(string text, string message)
    {
        var error = Assert.Throws<UsageException>(() => KeyReference.Parse(text));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Every_pin_value_is_redacted()
    {
        Assert.Equal("pkcs11:object=k?pin-value=***&module-path=/m.so&pin-value=***", Pkcs11Uri.Redact("pkcs11:object=k?pin-value=a&module-path=/m.so&pin-value=b"));
        Assert.Equal("pkcs11:object=k", Pkcs11Uri.Redact("pkcs11:object=k"));
    }
}
