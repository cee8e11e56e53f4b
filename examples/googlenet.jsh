// d2l-en 0.17, section 7.4 "Networks with Parallel Concatenations (GoogLeNet)", cell by cell.
// Run: ./d2l4j jshell examples/googlenet.jsh

// 7.4.1 Inception blocks: c1--c4 are the numbers of output channels of the four paths
class Inception extends Layer {
    final Conv2d p1_1, p2_1, p2_2, p3_1, p3_2, p4_2;
    final MaxPool2d p4_1;

    Inception(int inChannels, int c1, int[] c2, int[] c3, int c4) {
        // path 1: a single 1x1 convolution
        p1_1 = registerLayer("p1_1", new Conv2d(inChannels, c1, 1, 1, 0));
        // path 2: a 1x1 convolution, then a 3x3 convolution
        p2_1 = registerLayer("p2_1", new Conv2d(inChannels, c2[0], 1, 1, 0));
        p2_2 = registerLayer("p2_2", new Conv2d(c2[0], c2[1], 3, 1, 1));
        // path 3: a 1x1 convolution, then a 5x5 convolution
        p3_1 = registerLayer("p3_1", new Conv2d(inChannels, c3[0], 1, 1, 0));
        p3_2 = registerLayer("p3_2", new Conv2d(c3[0], c3[1], 5, 1, 2));
        // path 4: 3x3 max pooling, then a 1x1 convolution
        p4_1 = registerLayer("p4_1", new MaxPool2d(3, 1, 1));
        p4_2 = registerLayer("p4_2", new Conv2d(inChannels, c4, 1, 1, 0));
    }

    @Override
    public Variable forward(Variable x) {
        var p1 = Functional.relu(p1_1.forward(x));
        var p2 = Functional.relu(p2_2.forward(Functional.relu(p2_1.forward(x))));
        var p3 = Functional.relu(p3_2.forward(Functional.relu(p3_1.forward(x))));
        var p4 = Functional.relu(p4_2.forward(p4_1.forward(x)));
        // concatenate the outputs along the channel dimension
        return Functional.cat(1, p1, p2, p3, p4);
    }
}

// 7.4.2 GoogLeNet model: five blocks
var b1 = new Sequential(new Conv2d(1, 64, 7, 2, 3), new ReLU(), new MaxPool2d(3, 2, 1));
var b2 = new Sequential(new Conv2d(64, 64, 1, 1, 0), new ReLU(),
    new Conv2d(64, 192, 3, 1, 1), new ReLU(),
    new MaxPool2d(3, 2, 1));
var b3 = new Sequential(new Inception(192, 64, new int[] {96, 128}, new int[] {16, 32}, 32),
    new Inception(256, 128, new int[] {128, 192}, new int[] {32, 96}, 64),
    new MaxPool2d(3, 2, 1));
var b4 = new Sequential(new Inception(480, 192, new int[] {96, 208}, new int[] {16, 48}, 64),
    new Inception(512, 160, new int[] {112, 224}, new int[] {24, 64}, 64),
    new Inception(512, 128, new int[] {128, 256}, new int[] {24, 64}, 64),
    new Inception(512, 112, new int[] {144, 288}, new int[] {32, 64}, 64),
    new Inception(528, 256, new int[] {160, 320}, new int[] {32, 128}, 128),
    new MaxPool2d(3, 2, 1));
var b5 = new Sequential(new Inception(832, 256, new int[] {160, 320}, new int[] {32, 128}, 128),
    new Inception(832, 384, new int[] {192, 384}, new int[] {48, 128}, 128),
    new AdaptiveAvgPool2d(1, 1),
    new Flatten());
var net = new Sequential(b1, b2, b3, b4, b5, new Linear(1024, 10));

var X = new Variable(rand(1, 1, 96, 96));
printShapes(net, X);

// 7.4.3 Training (a quick run: 256 images resized to 96, 1 epoch; the book: all, 10 epochs, lr 0.1)
var data = loadDataFashionMnist(128, 96, 256, 128);
var result = trainCh6(net, data, 1, 0.1f);
System.out.println("quick run: loss " + String.format("%.3f", result.last().trainLoss()) + ", test acc " + String.format("%.3f", result.last().testAcc()));
/exit
