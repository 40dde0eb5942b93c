package dev.weft.samples.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The order sample's shipping activity in a process of its own: its {@code @Activity} bean becomes a
 * remote worker of the order application (see {@code application.properties}), with no database and
 * no engine here.
 */
@SpringBootApplication
public class RemoteWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(RemoteWorkerApplication.class, args);
    }
}
