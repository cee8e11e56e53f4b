/**
 * The nets of d2l's chapter "Modern CNNs" (LeNet, AlexNet, VGG, NiN, GoogLeNet), their training recipes
 * ({@link d2l4j.zoo.Recipe}, the one table of them), the training loop ({@link d2l4j.zoo.Training}) and the
 * command line ({@link d2l4j.zoo.Main}).
 */
package d2l4j.zoo;
