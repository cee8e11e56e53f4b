/** Inference for embedders: {@link d2l4j.zoo.infer.Classifier} loads a trained net and classifies images. */
package d2l4j.zoo.infer;
