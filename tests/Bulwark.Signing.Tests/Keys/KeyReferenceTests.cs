// SPDX-License-Identifier: Apache-2.0
using Bulwark.Core;
using Bulwark.Signing.Keys;

namespace Bulwark.Signing.Tests.Keys;

public sealed class KeyReferenceTests
{
    [Fact]
    public void A_plain_value_is_a_file_path()
    {
        Assert.Equal(new FileKeyReference("keys/cosign.key"), KeyReference.Parse("keys/cosign.key"));
        Assert.Equal(new FileKeyReference("/abs/cosign.pub"), KeyReference.Parse("/abs/cosign.pub"));
    }

    [Fact]
    public void Env_names_a_variable_holding_the_pem()
    {
        var reference = KeyReference.Parse("env://COSIGN_KEY");
        Assert.Equal(new EnvironmentKeyReference("COSIGN_KEY"), reference);
        Assert.Equal("env://COSIGN_KEY", reference.Text);
        Assert.Equal("PEM", reference.ReadText(name => name == "COSIGN_KEY" ? "PEM" : null));
    }

    [Fact]
    public void Pkcs11_and_vault_references_name_keys_held_elsewhere()
    {
        var vault = Assert.IsType<VaultKeyReference>(KeyReference.Parse("hashivault://release-key"));
        Assert.Equal("release-key", vault.Name);
        Assert.Equal("hashivault://release-key", vault.Text);
        Assert.False(vault.HoldsPem);
        var pkcs11 = Assert.IsType<Pkcs11KeyReference>(KeyReference.Parse("pkcs11:token=t;object=k?module-path=/m.so&pin-value=1"));
        Assert.Equal("pkcs11:token=t;object=k?module-path=/m.so&pin-value=***", pkcs11.Text);
        Assert.True(KeyReference.Parse("cosign.key").HoldsPem);
    }

    [Fact]
    public void An_unset_variable_is_an_input_error_naming_it()
    {
        var error = Assert.Throws<InputException>(() => KeyReference.Parse("env://NOPE").ReadText(_ => null));
        Assert.Equal("Cannot read key env://NOPE: the environment variable NOPE is not set or empty. Put the PEM text of the key in it.", error.Message);
    }

    [Fact]
    public void A_missing_file_is_an_input_error_naming_it()
    {
        var error = Assert.Throws<InputException>(() => KeyReference.Parse("/nonexistent/cosign.key").ReadText(_ => null));
        Assert.Equal("Cannot read key file /nonexistent/cosign.key: no such file. Check the path given to --key.", error.Message);
    }

    [Theory]
    [InlineData("", "--key is empty: give a key file path or env://VARIABLE.")]
    [InlineData("env://", "Key reference 'env://' has no valid variable name: write env://NAME, e.g. env://COSIGN_KEY.")]
    [InlineData("pkcs11:token=softhsm;object=signing;pin=1234?module-path=/usr/lib/softhsm/libsofthsm2.so",
        "PKCS#11 URI 'pkcs11:token=softhsm;object=signing;pin=1234?module-path=/usr/lib/softhsm/libsofthsm2.so': unknown path attribute 'pin'. Path attributes: token, manufacturer, serial, model, library-manufacturer, library-description, library-version, object, type, id, slot-description, slot-manufacturer, slot-id; query attributes: pin-source, pin-value, module-name, module-path.")]
    [InlineData("hashivault://", "Key reference 'hashivault://' has no valid Vault key name: write hashivault://NAME (letters, digits, '-', '_', '.').")]
    [InlineData("hashivault://../sys/seal", "Key reference 'hashivault://../sys/seal' has no valid Vault key name: write hashivault://NAME (letters, digits, '-', '_', '.').")]
    [InlineData("awskms:///arn:aws:kms:eu-west-1:1:key/x", "awskms:// keys ('awskms:///arn:aws:kms:eu-west-1:1:key/x') are not supported: use a key file or env://VAR.")]
    [InlineData("hashivualt://release", "Unknown key reference scheme 'hashivualt://' in 'hashivualt://release': use a file path or env://VAR.")]
    public void Unsupported_references_are_usage_errors_that_say_what_works(string text, string message)
    {
        var error = Assert.Throws<UsageException>(() => KeyReference.Parse(text));
        Assert.Equal(message, error.Message);
    }
}
