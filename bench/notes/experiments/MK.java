// Throwaway experiment (issue 12, 2026-12-01), kept as the evidence bench/notes/profiles.md cites: the GEMM
// micro-kernel's 12x32 loop and an 8x48 variant alone, on panels that stay in L1/L2 (kc floats deep).
// Run: javac --add-modules jdk.incubator.vector MK.java && java --add-modules jdk.incubator.vector MK 512
import jdk.incubator.vector.*;
public class MK {
  static final VectorSpecies<Float> F = FloatVector.SPECIES_512; static final int V=16;
  static float k12(int kc, float[] pa, int ai0, float[] pb, int bi0, float[] t) {
    FloatVector c00=FloatVector.zero(F),c01=c00,c10=c00,c11=c00,c20=c00,c21=c00,c30=c00,c31=c00,c40=c00,c41=c00,c50=c00,c51=c00,
      c60=c00,c61=c00,c70=c00,c71=c00,c80=c00,c81=c00,c90=c00,c91=c00,ca0=c00,ca1=c00,cb0=c00,cb1=c00;
    for (int p=0;p<kc;p++){ int ai=ai0+p*12, bi=bi0+p*32;
      FloatVector b0=FloatVector.fromArray(F,pb,bi), b1=FloatVector.fromArray(F,pb,bi+V); FloatVector a;
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
    return c00.add(c01).add(c10).add(c11).add(c20).add(c21).add(c30).add(c31).add(c40).add(c41).add(c50).add(c51)
      .add(c60).add(c61).add(c70).add(c71).add(c80).add(c81).add(c90).add(c91).add(ca0).add(ca1).add(cb0).add(cb1).reduceLanes(VectorOperators.ADD);
  }
  // 8 rows x 3 vectors
  static float k8(int kc, float[] pa, int ai0, float[] pb, int bi0, float[] t) {
    FloatVector c00=FloatVector.zero(F),c01=c00,c02=c00,c10=c00,c11=c00,c12=c00,c20=c00,c21=c00,c22=c00,c30=c00,c31=c00,c32=c00,
      c40=c00,c41=c00,c42=c00,c50=c00,c51=c00,c52=c00,c60=c00,c61=c00,c62=c00,c70=c00,c71=c00,c72=c00;
    for (int p=0;p<kc;p++){ int ai=ai0+p*8, bi=bi0+p*48;
      FloatVector b0=FloatVector.fromArray(F,pb,bi), b1=FloatVector.fromArray(F,pb,bi+V), b2=FloatVector.fromArray(F,pb,bi+2*V); FloatVector a;
      a=FloatVector.broadcast(F,pa[ai]); c00=a.fma(b0,c00); c01=a.fma(b1,c01); c02=a.fma(b2,c02);
      a=FloatVector.broadcast(F,pa[ai+1]); c10=a.fma(b0,c10); c11=a.fma(b1,c11); c12=a.fma(b2,c12);
      a=FloatVector.broadcast(F,pa[ai+2]); c20=a.fma(b0,c20); c21=a.fma(b1,c21); c22=a.fma(b2,c22);
      a=FloatVector.broadcast(F,pa[ai+3]); c30=a.fma(b0,c30); c31=a.fma(b1,c31); c32=a.fma(b2,c32);
      a=FloatVector.broadcast(F,pa[ai+4]); c40=a.fma(b0,c40); c41=a.fma(b1,c41); c42=a.fma(b2,c42);
      a=FloatVector.broadcast(F,pa[ai+5]); c50=a.fma(b0,c50); c51=a.fma(b1,c51); c52=a.fma(b2,c52);
      a=FloatVector.broadcast(F,pa[ai+6]); c60=a.fma(b0,c60); c61=a.fma(b1,c61); c62=a.fma(b2,c62);
      a=FloatVector.broadcast(F,pa[ai+7]); c70=a.fma(b0,c70); c71=a.fma(b1,c71); c72=a.fma(b2,c72);
    }
    return c00.add(c01).add(c02).add(c10).add(c11).add(c12).add(c20).add(c21).add(c22).add(c30).add(c31).add(c32).add(c40).add(c41).add(c42)
      .add(c50).add(c51).add(c52).add(c60).add(c61).add(c62).add(c70).add(c71).add(c72).reduceLanes(VectorOperators.ADD);
  }
  public static void main(String[] a){
    int kc=Integer.parseInt(a[0]); float[] pa=new float[16*kc], pb=new float[48*kc]; for(int i=0;i<pa.length;i++)pa[i]=i%7*0.001f; for(int i=0;i<pb.length;i++)pb[i]=i%5*0.001f;
    float s=0; for(int rep=0;rep<5;rep++){
      long t0=System.nanoTime(); int it=2_000_000*64/kc; for(int i=0;i<it;i++) s+=k12(kc,pa,0,pb,0,null); long t1=System.nanoTime();
      for(int i=0;i<it;i++) s+=k8(kc,pa,0,pb,0,null); long t2=System.nanoTime();
      double fl=2.0*384*kc*it; System.out.printf("12x32 %.1f GF   8x48 %.1f GF%n", fl/(t1-t0), fl/(t2-t1)); }
    System.out.println(s);
  }
}
