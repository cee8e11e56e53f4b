// Throwaway experiment (issue 12, 2026-12-01), kept as the evidence bench/notes/convolution-paths.md cites: the
// forward convolution with lanes across output channels, scattered broadcasts ("blocked") and with the pixels'
// columns packed first ("packed"), against the engine's Convolution in the same JVM (which the separate-JVM A/B
// in convolution-paths.md then corrected: same-JVM runs handicap the first). Run from the repo root after
// mvn -DskipTests package -pl bench -am: javac --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
// -d /tmp bench/notes/experiments/Blocked.java && java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar:/tmp Blocked 16,160,6,6,320,3,3,1,1
import jdk.incubator.vector.*;
import d2l4j.tensor.ConvGeometry;
import d2l4j.kernels.*;
public class Blocked {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_512; static final int V=16, NR=32, MT=12;
  // wb[(kb*crs + t)*NR + l] = W[kb*NR + l, t]
  static float[] blockWeights(int k, int crs, float[] w){ int kp=(k+NR-1)/NR*NR; float[] wb=new float[kp*crs];
    for(int kk=0;kk<k;kk++) for(int t=0;t<crs;t++) wb[((kk/NR)*crs+t)*NR+kk%NR]=w[kk*crs+t]; return wb; }
  static void forward(ConvGeometry g, float[] x, float[] wb, float[] bias, float[] y){
    int c=g.c(),h=g.h(),w=g.w(),k=g.k(),r=g.r(),s=g.s(),ph=g.padH(),pw=g.padW(),p=g.p(),q=g.q(),pq=p*q;
    int hp=h+2*ph, wp=w+2*pw, crs=c*r*s, kp=(k+NR-1)/NR*NR, pqp=(pq+MT-1)/MT*MT;
    float[] xp=new float[c*hp*wp]; int[] off=new int[crs]; int[] pix=new int[pqp]; float[] yT=new float[pqp*kp];
    for(int ci=0;ci<c;ci++)for(int ri=0;ri<r;ri++)for(int si=0;si<s;si++) off[(ci*r+ri)*s+si]=ci*hp*wp+ri*wp+si;
    for(int j=0;j<pqp;j++){int jj=Math.min(j,pq-1); pix[j]=(jj/q)*wp+jj%q;}
    for(int n=0;n<g.n();n++){
      for(int ci=0;ci<c;ci++)for(int ih=0;ih<h;ih++) System.arraycopy(x,((n*c+ci)*h+ih)*w,xp,(ci*hp+ih+ph)*wp+pw,w);
      for(int kb=0;kb<kp;kb+=NR) for(int j=0;j<pqp;j+=MT) tile(crs,wb,kb*crs,xp,off,pix,j,yT,j*kp+kb,kp);
      int yo=n*k*pq;
      for(int kk=0;kk<k;kk++){ float b=bias==null?0:bias[kk]; for(int j=0;j<pq;j++) y[yo+kk*pq+j]=yT[j*kp+kk]+b; }
    }
  }
  static void tile(int crs, float[] wb, int wi0, float[] xp, int[] off, int[] pix, int j, float[] out, int o, int ld){
    int p0=pix[j],p1=pix[j+1],p2=pix[j+2],p3=pix[j+3],p4=pix[j+4],p5=pix[j+5],p6=pix[j+6],p7=pix[j+7],p8=pix[j+8],p9=pix[j+9],pa=pix[j+10],pb=pix[j+11];
    FloatVector c00=FloatVector.zero(F),c01=c00,c10=c00,c11=c00,c20=c00,c21=c00,c30=c00,c31=c00,c40=c00,c41=c00,c50=c00,c51=c00,
      c60=c00,c61=c00,c70=c00,c71=c00,c80=c00,c81=c00,c90=c00,c91=c00,ca0=c00,ca1=c00,cb0=c00,cb1=c00;
    for(int t=0;t<crs;t++){ int wi=wi0+t*NR, b=off[t];
      FloatVector b0=FloatVector.fromArray(F,wb,wi), b1=FloatVector.fromArray(F,wb,wi+V); FloatVector a;
      a=FloatVector.broadcast(F,xp[b+p0]); c00=a.fma(b0,c00); c01=a.fma(b1,c01);
      a=FloatVector.broadcast(F,xp[b+p1]); c10=a.fma(b0,c10); c11=a.fma(b1,c11);
      a=FloatVector.broadcast(F,xp[b+p2]); c20=a.fma(b0,c20); c21=a.fma(b1,c21);
      a=FloatVector.broadcast(F,xp[b+p3]); c30=a.fma(b0,c30); c31=a.fma(b1,c31);
      a=FloatVector.broadcast(F,xp[b+p4]); c40=a.fma(b0,c40); c41=a.fma(b1,c41);
      a=FloatVector.broadcast(F,xp[b+p5]); c50=a.fma(b0,c50); c51=a.fma(b1,c51);
      a=FloatVector.broadcast(F,xp[b+p6]); c60=a.fma(b0,c60); c61=a.fma(b1,c61);
      a=FloatVector.broadcast(F,xp[b+p7]); c70=a.fma(b0,c70); c71=a.fma(b1,c71);
      a=FloatVector.broadcast(F,xp[b+p8]); c80=a.fma(b0,c80); c81=a.fma(b1,c81);
      a=FloatVector.broadcast(F,xp[b+p9]); c90=a.fma(b0,c90); c91=a.fma(b1,c91);
      a=FloatVector.broadcast(F,xp[b+pa]); ca0=a.fma(b0,ca0); ca1=a.fma(b1,ca1);
      a=FloatVector.broadcast(F,xp[b+pb]); cb0=a.fma(b0,cb0); cb1=a.fma(b1,cb1);
    }
    c00.intoArray(out,o);c01.intoArray(out,o+V); o+=ld; c10.intoArray(out,o);c11.intoArray(out,o+V); o+=ld;
    c20.intoArray(out,o);c21.intoArray(out,o+V); o+=ld; c30.intoArray(out,o);c31.intoArray(out,o+V); o+=ld;
    c40.intoArray(out,o);c41.intoArray(out,o+V); o+=ld; c50.intoArray(out,o);c51.intoArray(out,o+V); o+=ld;
    c60.intoArray(out,o);c61.intoArray(out,o+V); o+=ld; c70.intoArray(out,o);c71.intoArray(out,o+V); o+=ld;
    c80.intoArray(out,o);c81.intoArray(out,o+V); o+=ld; c90.intoArray(out,o);c91.intoArray(out,o+V); o+=ld;
    ca0.intoArray(out,o);ca1.intoArray(out,o+V); o+=ld; cb0.intoArray(out,o);cb1.intoArray(out,o+V);
  }
  static void forward2(ConvGeometry g, float[] x, float[] wb, float[] bias, float[] y){
    int c=g.c(),h=g.h(),w=g.w(),k=g.k(),r=g.r(),s=g.s(),ph=g.padH(),pw=g.padW(),p=g.p(),q=g.q(),pq=p*q;
    int hp=h+2*ph, wp=w+2*pw, crs=c*r*s, kp=(k+NR-1)/NR*NR, pqp=(pq+MT-1)/MT*MT;
    float[] xp=new float[c*hp*wp]; int[] off=new int[crs]; int[] pix=new int[pqp]; float[] yT=new float[pqp*kp]; float[] at=new float[crs*MT];
    for(int ci=0;ci<c;ci++)for(int ri=0;ri<r;ri++)for(int si=0;si<s;si++) off[(ci*r+ri)*s+si]=ci*hp*wp+ri*wp+si;
    for(int j=0;j<pqp;j++){int jj=Math.min(j,pq-1); pix[j]=(jj/q)*wp+jj%q;}
    for(int n=0;n<g.n();n++){
      for(int ci=0;ci<c;ci++)for(int ih=0;ih<h;ih++) System.arraycopy(x,((n*c+ci)*h+ih)*w,xp,(ci*hp+ih+ph)*wp+pw,w);
      for(int j=0;j<pqp;j+=MT){
        for(int t=0;t<crs;t++){int b=off[t]; for(int i=0;i<MT;i++) at[t*MT+i]=xp[b+pix[j+i]];}
        for(int kb=0;kb<kp;kb+=NR) tile2(crs,at,wb,kb*crs,yT,j*kp+kb,kp);
      }
      int yo=n*k*pq;
      for(int kk=0;kk<k;kk++){ float b=bias==null?0:bias[kk]; for(int j=0;j<pq;j++) y[yo+kk*pq+j]=yT[j*kp+kk]+b; }
    }
  }
  static void tile2(int crs, float[] pa, float[] wb, int wi0, float[] out, int o, int ld){
    FloatVector c00=FloatVector.zero(F),c01=c00,c10=c00,c11=c00,c20=c00,c21=c00,c30=c00,c31=c00,c40=c00,c41=c00,c50=c00,c51=c00,
      c60=c00,c61=c00,c70=c00,c71=c00,c80=c00,c81=c00,c90=c00,c91=c00,ca0=c00,ca1=c00,cb0=c00,cb1=c00;
    for(int t=0;t<crs;t++){ int wi=wi0+t*NR, ai=t*12;
      FloatVector b0=FloatVector.fromArray(F,wb,wi), b1=FloatVector.fromArray(F,wb,wi+V); FloatVector a;
      a=FloatVector.broadcast(F,pa[ai]); c00=a.fma(b0,c00); c01=a.fma(b1,c01);
      a=FloatVector.broadcast(F,pa[ai+1]); c10=a.fma(b0,c10); c11=a.fma(b1,c11);
      a=FloatVector.broadcast(F,pa[ai+2]); c20=a.fma(b0,c20); c21=a.fma(b1,c21);
      a=FloatVector.broadcast(F,pa[ai+3]); c30=a.fma(b0,c30); c31=a.fma(b1,c31);
      a=FloatVector.broadcast(F,pa[ai+4]); c40=a.fma(b0,c40); c41=a.fma(b1,c41);
      a=FloatVector.broadcast(F,pa[ai+5]); c50=a.fma(b0,c50); c51=a.fma(b1,c51);
      a=FloatVector.broadcast(F,pa[ai+6]); c60=a.fma(b0,c60); c61=a.fma(b1,c61);
      a=FloatVector.broadcast(F,pa[ai+7]); c70=a.fma(b0,c70); c71=a.fma(b1,c71);
      a=FloatVector.broadcast(F,pa[ai+8]); c80=a.fma(b0,c80); c81=a.fma(b1,c81);
      a=FloatVector.broadcast(F,pa[ai+9]); c90=a.fma(b0,c90); c91=a.fma(b1,c91);
      a=FloatVector.broadcast(F,pa[ai+10]); ca0=a.fma(b0,ca0); ca1=a.fma(b1,ca1);
      a=FloatVector.broadcast(F,pa[ai+11]); cb0=a.fma(b0,cb0); cb1=a.fma(b1,cb1);
    }
    c00.intoArray(out,o);c01.intoArray(out,o+V); o+=ld; c10.intoArray(out,o);c11.intoArray(out,o+V); o+=ld;
    c20.intoArray(out,o);c21.intoArray(out,o+V); o+=ld; c30.intoArray(out,o);c31.intoArray(out,o+V); o+=ld;
    c40.intoArray(out,o);c41.intoArray(out,o+V); o+=ld; c50.intoArray(out,o);c51.intoArray(out,o+V); o+=ld;
    c60.intoArray(out,o);c61.intoArray(out,o+V); o+=ld; c70.intoArray(out,o);c71.intoArray(out,o+V); o+=ld;
    c80.intoArray(out,o);c81.intoArray(out,o+V); o+=ld; c90.intoArray(out,o);c91.intoArray(out,o+V); o+=ld;
    ca0.intoArray(out,o);ca1.intoArray(out,o+V); o+=ld; cb0.intoArray(out,o);cb1.intoArray(out,o+V);
  }
  public static void main(String[] args){
    for(String sh: args){ String[] v=sh.split(","); int[] a=new int[9]; for(int i=0;i<9;i++)a[i]=Integer.parseInt(v[i]);
      ConvGeometry g=new ConvGeometry(a[0],a[1],a[2],a[3],a[4],a[5],a[6],1,1,a[8],a[8]);
      java.util.Random rnd=new java.util.Random(1); float[] x=new float[g.xSize()],w=new float[g.weightSize()],b=new float[g.k()];
      for(int i=0;i<x.length;i++)x[i]=rnd.nextFloat()-.5f; for(int i=0;i<w.length;i++)w[i]=rnd.nextFloat()-.5f; for(int i=0;i<b.length;i++)b[i]=rnd.nextFloat();
      float[] y1=new float[g.ySize()], y2=new float[g.ySize()];
      Convolution conv=new Convolution(CpuKernels.best(), Parallel.of(1));
      double fl=2.0*g.ySize()*g.crs(); double best1=1e9,best2=1e9,best3=1e9;
      for(int rep=0;rep<30;rep++){ long t0=System.nanoTime(); conv.forward(g,x,w,b,y1); long t1=System.nanoTime();
        float[] wb=blockWeights(g.k(),g.crs(),w); forward(g,x,wb,b,y2); long t2=System.nanoTime(); best1=Math.min(best1,t1-t0); best2=Math.min(best2,t2-t1);
        wb=blockWeights(g.k(),g.crs(),w); forward2(g,x,wb,b,y2); long t3=System.nanoTime(); best3=Math.min(best3,t3-t2);}
      double md=0; for(int i=0;i<y1.length;i++) md=Math.max(md,Math.abs(y1[i]-y2[i]));
      System.out.printf("%s path %s: %.2f ms %.0f GF | blocked %.2f ms %.0f GF | packed %.2f ms %.0f GF maxdiff %g%n", sh, conv.path(ConvPath.Direction.FORWARD,g), best1/1e6, fl/best1, best2/1e6, fl/best2, best3/1e6, fl/best3, md);
    }
  }
}
