// d2l-en 0.17, section 7.2 "Networks Using Blocks (VGG)", cell by cell. Run: ./d2l4j jshell examples/vgg.jsh

// 7.2.1 VGG blocks
Sequential vggBlock(int numConvs, int inChannels, int outChannels) {
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < numConvs; i++) {
        layers.add(new Conv2d(inChannels, outChannels, 3, 1, 1));
        layers.add(new ReLU());
        inChannels = outChannels;
    }
    layers.add(new MaxPool2d(2, 2));
    return new Sequential(layers.toArray(Layer[]::new));
}

// 7.2.2 VGG network: (number of convolutions, output channels) per block
int[][] convArch = {{1, 64}, {1, 128}, {2, 256}, {2, 512}, {2, 512}};

Sequential vgg(int[][] convArch) {
    List<Layer> convBlks = new ArrayList<>();
    int inChannels = 1;
    for (int[] b : convArch) {
        convBlks.add(vggBlock(b[0], inChannels, b[1]));
        inChannels = b[1];
    }
    convBlks.addAll(List.of(new Flatten(),
        new Linear(inChannels * 7 * 7, 4096), new ReLU(), new Dropout(0.5f),
        new Linear(4096, 4096), new ReLU(), new Dropout(0.5f),
        new Linear(4096, 10)));
    return new Sequential(convBlks.toArray(Layer[]::new));
}

var net = vgg(convArch);
var X = new Variable(rand(1, 1, 224, 224));
printShapes(net, X);

// 7.2.3 Training: a network with a quarter of the channels (ratio 4), as the book trains
int ratio = 4;
int[][] smallConvArch = Arrays.stream(convArch).map(p -> new int[] {p[0], p[1] / ratio}).toArray(int[][]::new);
net = vgg(smallConvArch);
// a quick run: 128 images resized to 224, 1 epoch (the book: all, 10 epochs, lr 0.05)
var data = loadDataFashionMnist(64, 224, 128, 64);
var result = trainCh6(net, data, 1, 0.05f);
System.out.println("quick run: loss " + String.format("%.3f", result.last().trainLoss()) + ", test acc " + String.format("%.3f", result.last().testAcc()));
/exit
