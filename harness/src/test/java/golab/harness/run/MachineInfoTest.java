package golab.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineInfoTest {

    @Test
    void readsTheModelNameOfAnX86Cpuinfo() {
        String cpuinfo = """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                model\t\t: 1
                model name\t: AMD EPYC 7B13
                flags\t\t: fpu vme
                
                processor\t: 1
                model name\t: AMD EPYC 7B13
                """;

        assertThat(MachineInfo.cpuModel(cpuinfo)).isEqualTo("AMD EPYC 7B13");
    }

    @Test
    void fallsBackToTheArmHardwareLineThenToUnknown() {
        assertThat(MachineInfo.cpuModel("processor\t: 0\nBogoMIPS\t: 48.00\nHardware\t: BCM2835\n")).isEqualTo("BCM2835");
        assertThat(MachineInfo.cpuModel("")).isEqualTo("unknown");
    }

    @Test
    void describesThisMachine() {
        MachineInfo machine = MachineInfo.current();

        assertThat(machine.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(machine.os()).startsWith(System.getProperty("os.name"));
        assertThat(machine.cpuModel()).isNotBlank();
    }
}
