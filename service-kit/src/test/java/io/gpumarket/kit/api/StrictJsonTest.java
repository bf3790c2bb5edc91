package io.gpumarket.kit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
    record Body(String name, Integer count, BigDecimal hours, Boolean enabled, List<String> ids, Map<String, String> env) {}

    private final ObjectMapper mapper = StrictJson.apply(new ObjectMapper());

    @Test
    void readsValuesOfTheRightType() throws Exception {
        Body b = mapper.readValue("""
                {"name":"a","count":3,"hours":2.5,"enabled":true,"ids":["x"],"env":{"K":"v"}}""", Body.class);
        assertThat(b).isEqualTo(new Body("a", 3, new BigDecimal("2.5"), true, List.of("x"), Map.of("K", "v")));
        assertThat(mapper.readValue("{\"hours\":2}", Body.class).hours()).isEqualByComparingTo("2");
    }

    @Test
    void refusesValuesOfAnotherTypeInsteadOfConvertingThem() {
        for (String json : List.of("{\"name\":7}", "{\"name\":1.5}", "{\"name\":true}", "{\"count\":\"3\"}",
                "{\"count\":1.5}", "{\"count\":\"\"}", "{\"hours\":\"2\"}", "{\"enabled\":\"true\"}",
                "{\"ids\":[1]}", "{\"env\":{\"K\":1}}")) {
            assertThatThrownBy(() -> mapper.readValue(json, Body.class)).as(json)
                    .isInstanceOf(MismatchedInputException.class);
        }
    }
}
