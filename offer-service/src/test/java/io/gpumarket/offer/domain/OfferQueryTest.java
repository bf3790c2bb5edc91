package io.gpumarket.offer.domain;

import static io.gpumarket.offer.domain.MarketFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.events.rental.RentalType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The search language against one offer: 2 of a 4 × RTX 4090 machine in EU-DE at $0.50 per GPU-hour
 * (dph = 1.00 for the GPUs + 10 GB of disk at $0.10/GB-month + 1 GB/h at $2/TB = 1.003389), driver
 * 550.54.15, CUDA 12.4, listed for 90 more days.
 */
class OfferQueryTest {
    private final Offer offer;

    OfferQueryTest() {
        Market market = new Market();
        market.apply(registered("m-1", "RTX 4090", 4, "EU-DE"));
        market.apply(scored("m-1", 3700));
        market.apply(online("m-1"));
        market.apply(software("m-1", "550.54.15", "12.4"));
        market.apply(listed("m-1", 500_000, 1));
        MarketMachine m = market.machine("m-1").orElseThrow();
        Quote quote = new Quote(RentalType.ONDEMAND, 0, 10, 1);
        offer = new Offer().set(m, 2, quote.gpuPricePerHour(m.listing(), 2), quote.totalPerHour(m.listing(), 2), false,
                NOW.getEpochSecond());
    }

    private boolean matches(String q) {
        return OfferQuery.parse(q).matches(offer);
    }

    @Test
    void theOfferIsPricedAsDocumented() {
        assertThat(offer.pricePerHourMicros()).isEqualTo(1_000_000);
        assertThat(offer.totalPerHourMicros()).isEqualTo(1_000_000 + 1_389 + 2_000);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "num_gpus=2 | true", "num_gpus==2 | true", "num_gpus eq 2 | true", "num_gpus=3 | false",
        "num_gpus!=2 | false", "num_gpus neq 3 | true",
        "num_gpus<3 | true", "num_gpus lt 2 | false", "num_gpus<=2 | true", "num_gpus lte 1 | false",
        "num_gpus>1 | true", "num_gpus gt 2 | false", "num_gpus>=2 | true", "num_gpus gte 3 | false",
        "num_gpus in [1,2] | true", "num_gpus in [4, 8] | false", "num_gpus notin [4,8] | true",
        "num_gpus notin [2] | false", "num_gpus in 2 | true"})
    void everyOperator(String q, boolean expected) {
        assertThat(matches(q)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "dph<1.003390 | true", "dph<1.003389 | false", "dph<=1.003389 | true", "dph>1.003388 | true",
        "dph>=1.0033891 | false", "dph=1.003389 | true", "dph=1.0033890 | true", "dph=1.0033895 | false",
        "dph!=1.0033895 | true", "num_gpus>=1.5 | true", "num_gpus<=1.5 | false", "num_gpus>2.5 | false",
        "reliability>=0.9 | true", "reliability>0.9 | false", "gpu_ram>=23.5 | true", "gpu_total_ram=48 | true",
        "cpu_cores=16 | true", "cpu_ram=128 | true", "disk_space>=1000 | true", "inet_up>=1000 | true",
        "inet_down<600 | true", "min_bid=0.2 | true", "duration>=89.9 | true", "duration>90 | false",
        "dlperf=74 | true", "dlperf_usd>73 | true", "score>0 | true"})
    void numbersCompareExactlyAtTheFieldsScale(String q, boolean expected) {
        assertThat(matches(q)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "gpu_name=RTX_4090 | true", "gpu_name=rtx_4090 | true", "gpu_name=\"RTX 4090\" | true",
        "gpu_name=RTX_3090 | false", "gpu_name!=RTX_3090 | true",
        "gpu_name in [RTX_3090,RTX_4090] | true", "gpu_name notin [RTX_3090, RTX_4090] | false",
        "region=eu-de | true", "machine_id=m-1 | true", "host_id=host-1 | true",
        "verified=false | true", "verified=true | false", "verified!=true | true",
        "cuda_vers>=12.4 | true", "cuda_vers>=12.10 | false", "cuda_vers>12.3.9 | true", "cuda_vers=12.4.0 | true",
        "driver_version>=535.104.05 | true", "driver_version<550.54 | false",
        "driver_version in [550.54.15,535.1] | true"})
    void textBooleansAndVersions(String q, boolean expected) {
        assertThat(matches(q)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "dph_total<2 | dph", "geolocation=EU-DE | region", "dlperf_per_dphtotal>1 | dlperf_usd",
        "cuda_max_good>=12 | cuda_vers", "reliability2>0.5 | reliability"})
    void aliasesNameTheSameField(String q, String field) {
        assertThat(OfferQuery.parse(q).terms().get(0).field().wire()).isEqualTo(field);
        assertThat(matches(q)).isTrue();
    }

    @Test
    void termsCombineSpacesAreFreeAndAnyDropsAFilter() {
        assertThat(matches("num_gpus>=2 gpu_name=RTX_4090   dph<1.5")).isTrue();
        assertThat(matches("  num_gpus >= 2   dph < 1.5 ")).isTrue();
        assertThat(matches("num_gpus>=2 gpu_name=RTX_3090")).isFalse();
        assertThat(OfferQuery.parse("gpu_name=any num_gpus>=2").terms()).hasSize(1);
        assertThat(OfferQuery.parse("").terms()).isEmpty();
        assertThat(OfferQuery.parse(null).terms()).isEmpty();
    }

    @Test
    void anOfferWithoutAValueMatchesNoTermOnIt() {
        Market market = new Market();
        market.apply(registered("m-2", "Mystery GPU", 1, "EU"));
        market.apply(online("m-2"));
        market.apply(listed("m-2", 500_000, 1));
        MarketMachine m = market.machine("m-2").orElseThrow();
        Offer bare = new Offer().set(m, 1, 500_000, 503_389, false, NOW.getEpochSecond());
        for (String q : new String[] {"dlperf>0", "dlperf<1000", "dlperf!=5", "cuda_vers>0", "driver_version!=1"}) {
            assertThat(OfferQuery.parse(q).matches(bare)).as(q).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
        "gpu_nam=RTX_4090 | unknown field 'gpu_nam'",
        "num_gpus | 'num_gpus' needs an operator",
        "num_gpus~2 | 'num_gpus' needs an operator",
        "num_gpus>= | num_gpus needs a value",
        "num_gpus>=2 hello | unknown field 'hello'",
        "num_gpus>=2 dph | 'dph' needs an operator",
        "num_gpus>=2 >=3 | cannot read '>=3'",
        "num_gpus=[1,2] | takes one value, not a list",
        "num_gpus in [1,2 | has no closing ]",
        "num_gpus in [1,,2] | has an empty item",
        "gpu_name=\"RTX 4090 | has no closing quote",
        "num_gpus>=two | num_gpus takes a number, not 'two'",
        "gpu_name>RTX | gpu_name is text",
        "verified=yes | verified is true or false",
        "verified>true | verified is true or false",
        "cuda_vers>=twelve | cuda_vers takes a version"})
    void badQueriesNameTheProblem(String q, String problem) {
        assertThatThrownBy(() -> OfferQuery.parse(q)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void readingErrorsListTheValidFields() {
        assertThatThrownBy(() -> OfferQuery.parse("colour=red"))
                .hasMessageContaining("valid fields: gpu_name, num_gpus")
                .hasMessageContaining("dph_total").hasMessageContaining("geolocation");
        assertThat(Field.names()).contains("gpu_name", "num_gpus", "gpu_ram", "gpu_total_ram", "cpu_cores", "cpu_ram",
                "disk_space", "dph", "reliability", "dlperf", "dlperf_usd", "region", "inet_up", "inet_down",
                "duration", "min_bid", "verified", "machine_id", "host_id", "cuda_vers", "driver_version",
                "dph_total", "geolocation");
    }

    @Test
    void orderKeysTakeEitherSignAndRejectUnknownFields() {
        assertThat(OfferOrder.parse("dph,-num_gpus")).isNotNull();
        assertThat(OfferOrder.parse("num_gpus- dph+")).isNotNull();
        assertThatThrownBy(() -> OfferOrder.parse("-colour")).hasMessageContaining("cannot order by '-colour'")
                .hasMessageContaining("valid fields");
    }
}
