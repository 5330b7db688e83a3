package org.conpaas.cloud.ec2;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Builds the SDK's EC2 client of a cloud: its region, endpoint and credentials, bounded retries and timeouts. */
final class Ec2Clients {

    private Ec2Clients() {
    }

    static Ec2Client create(Ec2Settings settings) {
        // The SDK finds some resources (interceptors, endpoint rules) through the context class loader: inside
        // OSGi that must be this bundle's, where the SDK is embedded.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Ec2Clients.class.getClassLoader());
        try {
            var builder = Ec2Client.builder()
                    .region(Region.of(settings.region()))
                    .credentialsProvider(credentials(settings.credentials()))
                    // the JDK's HTTP client: no Netty or Apache client in the bundle
                    .httpClient(UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(10))
                            .socketTimeout(Duration.ofSeconds(30))
                            .build())
                    .overrideConfiguration(ClientOverrideConfiguration.builder()
                            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                    .maxAttempts(settings.maxAttempts()).build())
                            .apiCallTimeout(settings.apiTimeout())
                            .build());
            if (settings.endpoint() != null) {
                builder.endpointOverride(settings.endpoint());
            }
            return builder.build();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static AwsCredentialsProvider credentials(Ec2Settings.Credentials c) {
        if (c.defaultChain()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(c.sessionToken() == null
                ? AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())
                : AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
    }
}
