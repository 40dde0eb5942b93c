package dev.weft.spring.boot.autoconfigure;

import dev.weft.WeftEngine;
import dev.weft.client.EngineWorkflowClient;
import dev.weft.spring.web.ApiAccessInterceptor;
import dev.weft.spring.web.ApiKey;
import dev.weft.spring.web.ApiScopes;
import dev.weft.spring.web.ApiErrorAdvice;
import dev.weft.spring.web.AsyncActivityController;
import dev.weft.spring.web.JsonBodyReader;
import dev.weft.spring.web.OpenApiController;
import dev.weft.spring.web.SignalController;
import dev.weft.spring.web.TaskQueueController;
import dev.weft.spring.web.WeftApi;
import dev.weft.spring.web.WireMessageConverter;
import dev.weft.spring.web.WorkflowController;
import dev.weft.spring.web.security.ApiSecurityHandlers;
import dev.weft.spring.web.security.JwtResourceServer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The REST API under {@code /api/v1} of a servlet Spring MVC application ({@code weft.api.enabled},
 * on by default). With Spring Security's web support, a {@link SecurityFilterChain} named
 * {@value #SECURITY_FILTER_CHAIN} guards it by scope (an OAuth2 resource server's JWTs work as they
 * are); without it, {@code weft.api.keys} do; with neither, only loopback clients are answered.
 */
@AutoConfiguration(after = WeftAutoConfiguration.class, afterName = {
        "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, WeftEngine.class })
@ConditionalOnBean(WeftEngine.class)
@ConditionalOnBooleanProperty(name = "weft.api.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WeftApiProperties.class)
public final class WeftApiAutoConfiguration {

    /** The name of the filter chain that guards the API; define a bean of this name to replace it. */
    public static final String SECURITY_FILTER_CHAIN = "weftApiSecurityFilterChain";

    private static final Log LOG = LogFactory.getLog(WeftApiAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    JsonBodyReader weftApiBodyReader(WeftApiProperties properties) {
        return new JsonBodyReader(properties.getMaxRequestBytes());
    }

    /** The API acts through the engine's own client, never through a {@code WorkflowClient} bean the application may replace. */
    @Bean
    @ConditionalOnMissingBean
    WorkflowController weftWorkflowController(WeftEngine engine, JsonBodyReader bodies,
            WeftApiProperties properties) {
        return new WorkflowController(engine, new EngineWorkflowClient(engine), bodies,
                properties.getDefaultResultWait(), properties.getMaxResultWait());
    }

    @Bean
    @ConditionalOnMissingBean
    SignalController weftSignalController(WeftEngine engine, JsonBodyReader bodies) {
        return new SignalController(new EngineWorkflowClient(engine), bodies);
    }

    @Bean
    @ConditionalOnMissingBean
    AsyncActivityController weftAsyncActivityController(WeftEngine engine, JsonBodyReader bodies) {
        return new AsyncActivityController(engine, bodies);
    }

    @Bean
    @ConditionalOnMissingBean
    TaskQueueController weftTaskQueueController(WeftEngine engine) {
        return new TaskQueueController(engine);
    }

    @Bean
    @ConditionalOnMissingBean
    OpenApiController weftOpenApiController() {
        return new OpenApiController();
    }

    @Bean
    @ConditionalOnMissingBean
    ApiErrorAdvice weftApiErrorAdvice() {
        return new ApiErrorAdvice();
    }

    @Bean
    @ConditionalOnMissingBean
    ApiAccessInterceptor weftApiAccessInterceptor(WeftApiProperties properties, ListableBeanFactory beans) {
        List<ApiKey> keys = new ArrayList<>();
        List<WeftApiProperties.Key> configured = properties.getKeys();
        for (int i = 0; i < configured.size(); i++) {
            WeftApiProperties.Key key = configured.get(i);
            String name = key.getName() != null ? key.getName() : "weft.api.keys[" + i + "]";
            if (key.getKey() == null || key.getKey().isBlank()) {
                throw new IllegalStateException("API key " + name + " has no key (weft.api.keys[" + i + "].key)");
            }
            keys.add(new ApiKey(name, key.getKey(), new LinkedHashSet<>(key.getScopes())));
        }
        ApiAccessInterceptor.Mode mode;
        if (beans.containsBean(SECURITY_FILTER_CHAIN)) {
            mode = ApiAccessInterceptor.Mode.SPRING_SECURITY;
            if (!keys.isEmpty()) {
                LOG.warn("weft.api.keys are ignored: Spring Security guards the Weft API (" + SECURITY_FILTER_CHAIN + ")");
            }
        } else if (!keys.isEmpty()) {
            mode = ApiAccessInterceptor.Mode.API_KEYS;
            LOG.info("The Weft API under " + WeftApi.BASE_PATH + " accepts " + keys.size() + " configured API key(s)");
        } else {
            mode = ApiAccessInterceptor.Mode.LOOPBACK_ONLY;
            LOG.warn("The Weft API under " + WeftApi.BASE_PATH + " has neither Spring Security nor API keys "
                    + "(weft.api.keys): it answers loopback clients only");
        }
        return new ApiAccessInterceptor(mode, keys);
    }

    @Bean
    WebMvcConfigurer weftApiWebMvcConfigurer(ApiAccessInterceptor interceptor) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(interceptor).addPathPatterns(WeftApi.BASE_PATH + "/**");
            }

            @Override
            public void configureMessageConverters(HttpMessageConverters.ServerBuilder converters) {
                // ahead of the application's JSON converter, for the API's own records only
                converters.addCustomConverter(new WireMessageConverter());
            }
        };
    }

    /** The filter chain of the API when Spring Security's web support is enabled. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "org.springframework.security.web.SecurityFilterChain",
            "org.springframework.security.config.annotation.web.builders.HttpSecurity" })
    @ConditionalOnBean(type = "org.springframework.security.config.annotation.web.builders.HttpSecurity")
    static class SecurityConfiguration {

        @Bean(name = SECURITY_FILTER_CHAIN)
        @ConditionalOnMissingBean(name = SECURITY_FILTER_CHAIN)
        @Order(Ordered.HIGHEST_PRECEDENCE + 100)
        SecurityFilterChain weftApiSecurityFilterChain(HttpSecurity http, ListableBeanFactory beans) {
            ApiSecurityHandlers handlers = new ApiSecurityHandlers();
            String all = WeftApi.BASE_PATH + "/**";
            http.securityMatcher(all)
                    .authorizeHttpRequests(requests -> requests
                            .requestMatchers(HttpMethod.GET, ApiScopes.OPENAPI_PATH).permitAll()
                            .requestMatchers(HttpMethod.GET, ApiScopes.WORKER_STREAM_PATTERN)
                            .hasAuthority(ApiScopes.AUTHORITY_PREFIX + ApiScopes.WORKERS_WRITE)
                            .requestMatchers(HttpMethod.GET, all).hasAuthority(ApiScopes.AUTHORITY_PREFIX + ApiScopes.WORKFLOWS_READ)
                            .requestMatchers(HttpMethod.HEAD, all).hasAuthority(ApiScopes.AUTHORITY_PREFIX + ApiScopes.WORKFLOWS_READ)
                            .requestMatchers(HttpMethod.POST, ApiScopes.QUERY_PATTERN)
                            .hasAuthority(ApiScopes.AUTHORITY_PREFIX + ApiScopes.WORKFLOWS_READ)
                            .anyRequest().hasAuthority(ApiScopes.AUTHORITY_PREFIX + ApiScopes.WORKFLOWS_WRITE))
                    // a stateless API authenticated per request: no session, so no CSRF to defend
                    .csrf(csrf -> csrf.disable())
                    .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                    .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(handlers).accessDeniedHandler(handlers));
            ClassLoader loader = SecurityConfiguration.class.getClassLoader();
            if (ClassUtils.isPresent("org.springframework.security.oauth2.jwt.JwtDecoder", loader)
                    && ClassUtils.isPresent("org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider", loader)
                    && JwtResourceServer.isAvailable(beans)) {
                JwtResourceServer.apply(http, handlers);
            }
            return http.build();
        }
    }
}
