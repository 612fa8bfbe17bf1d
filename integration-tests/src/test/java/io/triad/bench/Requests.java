package io.triad.bench;

import io.triad.bench.HttpStart.Post;
import java.util.Base64;

/**
 * The requests every HTTP front gets: one iris row and one MNIST digit, both through {@code
 * :predict}.
 */
record Requests(Post iris, Post mnist) {

  static Requests of(byte[] digitPng) {
    return new Requests(
        new Post(
            "/v1/models/iris:predict",
            "{\"instances\":[{\"sepal_length\":5.1,\"sepal_width\":3.5,\"petal_length\":1.4,\"petal_width\":0.2}]}"),
        new Post(
            "/v1/models/mnist:predict",
            "{\"instances\":[{\"b64\":\""
                + Base64.getEncoder().encodeToString(digitPng)
                + "\"}]}"));
  }
}
