package dev.weft.spring.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;

/**
 * The application on a random port with API keys and without Spring Security's auto-configuration,
 * so the API is guarded by {@code weft.api.keys} as in an application without Spring Security.
 * Every class with this annotation shares one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = ApiTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration,"
                + "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "weft.jdbc.initialize-schema=always",
        "weft.adoption-interval=0",
        "weft.api.keys[0].name=reader", "weft.api.keys[0].key=" + ApiKeyModeTest.READ_KEY, "weft.api.keys[0].scopes=workflows:read",
        "weft.api.keys[1].name=writer", "weft.api.keys[1].key=" + ApiKeyModeTest.WRITE_KEY, "weft.api.keys[1].scopes=workflows:write",
        "weft.api.keys[2].name=admin", "weft.api.keys[2].key=" + ApiKeyModeTest.ALL_KEY,
        "weft.api.keys[2].scopes=workflows:read,workflows:write",
        "weft.api.max-result-wait=2s" })
@AutoConfigureMockMvc(print = MockMvcPrint.NONE)
public @interface ApiKeyModeTest {

    String READ_KEY = "read-key-0123456789";
    String WRITE_KEY = "write-key-0123456789";
    String ALL_KEY = "all-key-0123456789";
}
