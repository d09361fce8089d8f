using System.IO;
using PrivateProvisioning.Core;
using PrivateProvisioning.Core.Formats;
using PrivateProvisioning.Tests.Support;
using Xunit;

namespace PrivateProvisioning.Tests.Formats
{
    public class ModelCatalogueTests
    {
        [Theory]
        [InlineData("SPA504G", ProfileFormat.CiscoSpa)]
        [InlineData("Cisco SPA525G2", ProfileFormat.CiscoSpa)]
        [InlineData("spa112", ProfileFormat.CiscoSpa)]
        [InlineData("CP-8851-3PCC", ProfileFormat.CiscoSpa)]
        [InlineData("CP-6841", ProfileFormat.CiscoSpa)]
        [InlineData("ATA192", ProfileFormat.CiscoSpa)]
        [InlineData("Linksys SPA941", ProfileFormat.CiscoSpa)]
        [InlineData("PAP2T", ProfileFormat.CiscoSpa)]
        [InlineData("CP-7965G", ProfileFormat.CiscoSep)]
        [InlineData("CP-8845", ProfileFormat.CiscoSep)]
        [InlineData("Cisco CP-7841", ProfileFormat.CiscoSep)]
        [InlineData("7942G", ProfileFormat.CiscoSep)]
        [InlineData("KX-HDV230", ProfileFormat.Panasonic)]
        [InlineData("Panasonic KX-UT136", ProfileFormat.Panasonic)]
        [InlineData("PrivateWave iOS", ProfileFormat.PrivateWave)]
        [InlineData("Linphone Android", ProfileFormat.Linphone)]
        public void The_shipped_catalogue_knows_each_family(string model, ProfileFormat expected)
        {
            Assert.True(ModelCatalogue.Default.TryGetFormat(model, out var format), model);
            Assert.Equal(expected, format);
        }

        [Theory]
        [InlineData("Nokia 6310")]
        [InlineData("Yealink T46S")]
        [InlineData("")]
        public void An_unknown_model_has_no_family(string model) => Assert.False(ModelCatalogue.Default.TryGetFormat(model, out _));

        [Fact]
        public void The_store_extends_and_overrides_the_shipped_catalogue()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(Path.Combine(dir.Path, "models.json"),
                "{ \"models\": [ { \"model\": \"Lobby*\", \"format\": \"Panasonic\" }, { \"model\": \"SPA8000\", \"format\": \"CiscoSep\" } ] }");
            var catalogue = ModelCatalogue.Open(dir.Path);
            Assert.True(catalogue.TryGetFormat("Lobby phone 2", out var f) && f == ProfileFormat.Panasonic);
            Assert.True(catalogue.TryGetFormat("SPA8000", out f) && f == ProfileFormat.CiscoSep);
            Assert.True(catalogue.TryGetFormat("SPA504G", out f) && f == ProfileFormat.CiscoSpa);
        }

        [Fact]
        public void A_bad_store_catalogue_names_the_file_and_entry()
        {
            using var dir = new TempDirectory();
            File.WriteAllText(Path.Combine(dir.Path, "models.json"), "{ \"models\": [ { \"model\": \"X*\", \"format\": \"Nokia\" } ] }");
            var ex = Assert.Throws<ProvisioningException>(() => ModelCatalogue.Open(dir.Path));
            Assert.Equal("InvalidModelCatalogue", ex.ErrorId);
            Assert.Contains("models.json', entry 1", ex.Message);
            Assert.Contains("'Nokia' is not a profile format", ex.Message);
        }
    }
}
