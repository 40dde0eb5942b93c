package dev.weft.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.spring.web.ApiCalls.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.test.web.servlet.MockMvc;

/** With neither Spring Security nor API keys, the API answers loopback clients only. */
@SpringBootTest(classes = ApiTestApplication.class, properties = {
        "spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "weft.jdbc.initialize-schema=always", "weft.adoption-interval=0" })
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
@ExtendWith(OutputCaptureExtension.class)
class LoopbackOnlyApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiAccessInterceptor interceptor;

    private Answer from(String address) {
        return new ApiCalls(mvc, null).send(ApiEndpoints.all().get(1).request().with(request -> {
            request.setRemoteAddr(address);
            return request;
        }));
    }

    @Test
    void answersLoopbackClientsAndRefusesOthersWithAClearMessage(CapturedOutput output) {
        assertThat(interceptor.mode()).isEqualTo(ApiAccessInterceptor.Mode.LOOPBACK_ONLY);
        assertThat(from("127.0.0.1").status()).isEqualTo(200);
        assertThat(from("::1").status()).isEqualTo(200);
        assertThat(from("0:0:0:0:0:0:0:1").status()).isEqualTo(200);

        Answer remote = from("10.1.2.3");

        assertThat(remote.status()).isEqualTo(403);
        assertThat(remote.body().path("error").asString()).contains("loopback clients").contains("weft.api.keys");
        assertThat(from("localhost.evil.example").status()).isEqualTo(403);
        assertThat(output).contains("Weft API refused GET /api/v1/workflows (403): remote-client-without-authentication from 10.1.2.3");
    }
}
